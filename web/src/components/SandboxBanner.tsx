/** Shown whenever the account in view talks to a sandbox, not production WorldCat. */
export function SandboxBanner({ account }: { account: string }) {
  return (
    <div className="sandbox-banner" role="status">
      <strong>SANDBOX</strong> Account <code>{account}</code> works against a WorldCat sandbox: nothing here
      changes production WorldCat.
    </div>
  );
}
