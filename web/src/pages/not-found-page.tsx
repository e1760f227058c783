import { Link } from '../components/link.tsx';

export function NotFoundPage() {
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. Go to <Link to="/app/shopify">App › Shopify</Link> or{' '}
        <Link to="/app/products">Products</Link>.
      </p>
    </section>
  );
}
