/** A small merchant admin for demos: edit a product's title and price, adjust stock, place an order. */
export const ADMIN_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Shopify emulator — merchant admin</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem; color: #202223; }
  table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
  th, td { border-bottom: 1px solid #e1e3e5; padding: .4rem .5rem; text-align: left; vertical-align: middle; }
  input { font: inherit; padding: .2rem .3rem; }
  input.num { width: 5rem; }
  button { font: inherit; cursor: pointer; }
  #status { margin-top: 1rem; min-height: 1.5rem; color: #008060; }
  #status.error { color: #d72c0d; }
</style>
</head>
<body>
<h1>Merchant admin</h1>
<label>Shop <select id="shop"></select></label>
<button id="reload">Reload</button>
<div id="status" role="status"></div>
<table>
  <thead><tr><th>Product</th><th>Variant / SKU</th><th>Price</th><th>Available</th><th>Stock ±</th><th>Order qty</th></tr></thead>
  <tbody id="rows"></tbody>
</table>
<script>
const $ = (id) => document.getElementById(id);
const shop = () => $('shop').value;
const say = (text, error) => { $('status').textContent = text; $('status').className = error ? 'error' : ''; };
async function call(method, path, body) {
  const res = await fetch('/_emulator' + path, { method, headers: { 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  const json = await res.json();
  if (!res.ok) throw new Error(json.message || res.statusText);
  return json;
}
function cell(content) { const td = document.createElement('td'); if (content instanceof Node) td.append(content); else td.textContent = content; return td; }
function input(value, cls) { const i = document.createElement('input'); i.value = value; if (cls) i.className = cls; return i; }
function button(label, onClick) { const b = document.createElement('button'); b.textContent = label; b.onclick = () => onClick().catch((e) => say(e.message, true)); return b; }
function group(...nodes) { const s = document.createElement('span'); s.append(...nodes); return s; }
async function loadShops() {
  const { shops } = await call('GET', '/shops');
  $('shop').replaceChildren(...shops.map((s) => new Option(s.domain, s.domain)));
}
async function loadProducts() {
  const { products } = await call('GET', '/shops/' + shop() + '/products?limit=100');
  const rows = [];
  for (const p of products) {
    p.variants.forEach((v, i) => {
      const tr = document.createElement('tr');
      const title = input(p.title);
      tr.append(i === 0 ? cell(group(title, button('Save title', async () => { await call('PATCH', '/shops/' + shop() + '/products/' + p.id, { title: title.value }); say('Title saved'); }))) : cell(''));
      tr.append(cell(v.title + ' / ' + v.sku));
      const price = input(v.price, 'num');
      tr.append(cell(group(price, button('Save', async () => { await call('PATCH', '/shops/' + shop() + '/variants/' + v.id, { price: price.value }); say('Price saved'); }))));
      tr.append(cell(String(v.inventory.reduce((s, l) => s + l.available, 0))));
      const delta = input('1', 'num');
      tr.append(cell(group(delta, button('Adjust', async () => { await call('POST', '/shops/' + shop() + '/inventory/adjust', { variantId: v.id, delta: Number(delta.value) }); say('Stock adjusted'); await loadProducts(); }))));
      const qty = input('1', 'num');
      tr.append(cell(group(qty, button('Place order', async () => { const o = await call('POST', '/shops/' + shop() + '/orders', { lines: [{ variantId: v.id, quantity: Number(qty.value) }] }); say('Order ' + o.name + ' placed'); await loadProducts(); }))));
      rows.push(tr);
    });
  }
  $('rows').replaceChildren(...rows);
}
$('reload').onclick = () => loadProducts().catch((e) => say(e.message, true));
$('shop').onchange = $('reload').onclick;
loadShops().then(loadProducts).catch((e) => say(e.message, true));
</script>
</body>
</html>
`;
