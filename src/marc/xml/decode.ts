/**
 * Bytes to text for XML input: the encoding comes from the byte order mark, else from the XML
 * declaration's `encoding`, else UTF-8.
 */

export interface XmlTextDecoder {
  /** Bytes before the first character (a byte order mark), for byte offsets. */
  readonly bomLength: number;
  readonly encoding: string;
  /** Set when the declared encoding is not supported (UTF-8 is used instead). */
  readonly problem?: string;
  decode(chunk: Uint8Array, final?: boolean): string;
}

/** Chooses the decoder from the first bytes of the document (pass at least the first 4, ideally ~256). */
export function createXmlTextDecoder(head: Uint8Array): XmlTextDecoder {
  let label = "utf-8";
  let bomLength = 0;
  let problem: string | undefined;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) bomLength = 3;
  else if (head[0] === 0xfe && head[1] === 0xff) [label, bomLength] = ["utf-16be", 2];
  else if (head[0] === 0xff && head[1] === 0xfe) [label, bomLength] = ["utf-16le", 2];
  else {
    const prolog = Buffer.from(head.subarray(0, 256)).toString("latin1");
    const declared = /^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(prolog)?.[1];
    if (declared !== undefined) label = declared.toLowerCase();
  }
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label);
  } catch {
    problem = `unsupported encoding "${label}"; read as UTF-8`;
    decoder = new TextDecoder("utf-8");
    label = "utf-8";
  }
  return {
    bomLength,
    encoding: label,
    problem,
    decode: (chunk, final = false) => decoder.decode(chunk, { stream: !final }),
  };
}
