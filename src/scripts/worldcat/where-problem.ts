/** How a problem of an input record is told: where (file, record, field), then what. */

/**
 * `record 2, field 245: indicator 1 is "3"`: where, then what. The validator's messages often name their
 * field already (`field 082: indicator 1 is blank`, `Leader/05 ...`); the field is then not said twice.
 */
export function whereProblem(
  where: string | undefined,
  problem: { readonly tag?: string; readonly message: string },
): string {
  const { tag, message } = problem;
  const named =
    tag === undefined || message.startsWith(`field ${tag}`) || (tag === "LDR" && /^leader/i.test(message));
  const head = [where, named ? undefined : `field ${tag}`].filter((x) => x).join(", ");
  return head ? `${head}: ${message}` : message;
}
