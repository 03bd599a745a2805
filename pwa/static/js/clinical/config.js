// Assemble the clinical configuration the evaluators take as their first argument
// (Python twin: backend/clinical/config.py). `assembleConfig` is pure: give it the parsed
// manifest, files and WHO tables (from fetch, from the replicated ilp_config document, or
// from disk in Node). `fetchConfig` is the small browser loader.

export function assembleConfig(manifest, files, who = null) {
  const config = { version: manifest.version, manifest };
  for (const [name, entry] of Object.entries(manifest.files)) {
    const data = files[name];
    if (!data) throw new Error(`missing clinical config file ${entry.file}`);
    if (data.version !== entry.version) {
      throw new Error(`${entry.file}: version ${data.version} but manifest says ${entry.version}`);
    }
    config[name] = data;
  }
  if (who) config.who = who;
  return config;
}

export function assembleWho(index, tables) {
  const who = { package: index.package };
  for (const [reference, names] of Object.entries(index.tables)) {
    who[reference] = {};
    for (const [name, file] of Object.entries(names)) who[reference][name] = tables[file];
  }
  return who;
}

async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

export async function fetchConfig(configUrl, whoUrl) {
  const base = (url) => (url.endsWith('/') ? url : `${url}/`);
  const manifest = await getJson(`${base(configUrl)}manifest.json`);
  const entries = Object.entries(manifest.files);
  const loaded = await Promise.all(entries.map(([, e]) => getJson(`${base(configUrl)}${e.file}`)));
  const files = Object.fromEntries(entries.map(([name], i) => [name, loaded[i]]));
  const index = await getJson(`${base(whoUrl)}index.json`);
  const names = Object.values(index.tables).flatMap((tables) => Object.values(tables));
  const tables = await Promise.all(names.map((file) => getJson(`${base(whoUrl)}${file}`)));
  return assembleConfig(manifest, files,
    assembleWho(index, Object.fromEntries(names.map((file, i) => [file, tables[i]]))));
}
