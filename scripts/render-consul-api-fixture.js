// Renders one fixture of HashiCorp's @hashicorp/consul-api-double (JS templates with faker calls) to plain JSON, the
// way its server @hashicorp/api-double does, so the Java contract test can read it without Node. Run once by hand:
//   npm pack @hashicorp/consul-api-double@6.1.5 @hashicorp/api-double@1.6.1 (unpack both), then in api-double's
//   directory: npm install --legacy-peer-deps faker@4.1.0 backtick-template@0.2.0 array-range@1.0.1
//   node render-consul-api-fixture.js <api-double dir> <consul-api-double dir> /v1/health/service/payment-service
const fs = require('fs');
const path = require('path');
const [apiDouble, consulApiDouble, href] = process.argv.slice(2);
const req = (m) => require(path.join(apiDouble, m));
const faker = req('node_modules/faker');
const range = req('node_modules/array-range');
let template = req('node_modules/backtick-template');
template = typeof template === 'function' ? template : template.default;
class Template {
  constructor(t) { this.t = t; }
  render(vars) { return template(this.t, vars); }
}
// Small and reproducible: a fixed seed and counts instead of the random 1-10 nodes, tags and checks.
const env = { CONSUL_NODE_COUNT: '3', CONSUL_TAG_COUNT: '2', CONSUL_CHECK_COUNT: '2' };
const vars = req('vars/index.js')(req('location/factory.js')(), range, env);
const render = req('lib/render.js')(vars, Template, faker, 1);
const file = path.join(consulApiDouble, path.dirname(href), '_');
const json = render({ content: fs.readFileSync(file), href, query: { passing: '' } });
process.stdout.write(JSON.stringify(JSON.parse(json), null, 2) + '\n');
