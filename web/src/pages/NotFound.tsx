import { Link } from "../lib/router.tsx";

export function NotFound() {
  return (
    <>
      <h1>Page not found</h1>
      <p>
        There is no page here. <Link to="/">Go to the dashboard</Link>.
      </p>
    </>
  );
}
