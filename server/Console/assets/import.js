// Import page: a contest file (chosen or pasted), checked by the server (dry run), its problems shown beside its rows.
import { api, el, fill, $, say, describe } from './console.js';

const text = $('#text');
const format = $('#format');
const tbody = $('#rows tbody');

$('#file').addEventListener('change', async event => {
  const file = event.target.files[0];
  if (!file) return;
  text.value = (await file.text()).replace(/^\uFEFF/, '');
  format.value = /\.json$/i.test(file.name) || text.value.trimStart().startsWith('{') ? 'application/json' : 'text/csv';
  await send(true);
});
$('#check').addEventListener('click', () => send(true));
$('#import').addEventListener('click', () => send(false));

async function send(dryRun) {
  const buttons = [$('#check'), $('#import')];
  buttons.forEach(b => b.disabled = true);
  try {
    if (!text.value.trim()) { say('Choose a file or paste its contents first.', 'warn'); return; }
    const answer = await api('POST', `/api/contest/import?dryRun=${dryRun}`, text.value, { contentType: format.value });
    render({}, answer.warnings ?? []);
    const counts = `${answer.categories} categories, ${answer.finalists} finalists`;
    say(dryRun ? `The file is good: ${counts}. Press Import to apply it.` : `Imported: ${counts}.`, 'ok');
    $('#summary').textContent = counts;
  } catch (error) {
    $('#summary').textContent = '';
    if (error.status === 400 && error.problem?.errors) {
      render(error.problem.errors, error.problem.warnings ?? []);
      const n = Object.keys(error.problem.errors).length;
      say(`${error.problem.detail ?? `${n} problem(s) found`} Fix them (here or in the file) and check again.`, 'bad');
    } else {
      render({}, []);
      say(describe(error), 'bad');
    }
  } finally {
    buttons.forEach(b => b.disabled = false);
  }
}

/** The file's rows (CSV records by first line, or JSON finalists by index), each with the problems naming it. */
function render(errors, warnings) {
  const rows = format.value === 'text/csv' ? csvRows(text.value) : jsonRows(text.value);
  const byKey = new Map(rows.map(r => [r.key, { ...r, errors: [], warnings: [] }]));
  const general = [];
  const place = (field, message, kind) => {
    const key = keyOf(field);
    const row = key && byKey.get(key);
    const item = { field: row ? field.slice(key.length).replace(/^[:.]\s*/, '') || 'row' : field, message };
    if (row) row[kind].push(item); else general.push({ ...item, kind });
  };
  for (const [field, messages] of Object.entries(errors)) for (const m of [].concat(messages)) place(field, m, 'errors');
  for (const w of warnings) place(w.field, w.message, 'warnings');

  fill($('#general'), general.map(g => el('p', { class: g.kind === 'errors' ? 'notice bad' : 'notice warn' },
    el('strong', {}, `${g.field}: `), g.message)));
  fill(tbody, [...byKey.values()].map(r => el('tr', {
    class: r.errors.length ? 'has-error' : r.warnings.length ? 'has-warning' : '',
    dataset: { row: r.key },
  },
  el('td', { class: 'line' }, r.label),
  el('td', {}, r.category ?? ''),
  el('td', { class: 'num' }, r.order ?? ''),
  el('td', { class: 'title' }, r.title ?? ''),
  el('td', { class: 'errors' }, [...r.errors, ...r.warnings].map(p => el('div', { class: r.errors.includes(p) ? 'problem error-line' : 'problem warning-line' },
    el('strong', {}, `${p.field}: `), p.message))))));
}

/** "row 4: category" → "row 4"; "finalists[3].title" → "finalists[3]". */
function keyOf(field) {
  const m = /^(row \d+|finalists\[\d+\])/.exec(field ?? '');
  return m ? m[1] : null;
}

/** RFC 4180 records with the line each starts on (the header is row 1), as the server numbers them. */
function csvRows(source) {
  const records = [];
  let field = '', record = [], quoted = false, line = 1, start = 1;
  const s = source.replace(/^\uFEFF/, '');
  const endRecord = () => {
    record.push(field); field = '';
    if (record.length > 1 || record[0].trim() !== '') records.push({ line: start, cells: record });
    record = [];
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else { if (c === '\n') line++; field += c; }
    } else if (c === '"') quoted = true;
    else if (c === ',') { record.push(field); field = ''; }
    else if (c === '\r') { /* CRLF: the \n ends it */ }
    else if (c === '\n') { endRecord(); line++; start = line; }
    else field += c;
  }
  if (field !== '' || record.length) endRecord();
  if (!records.length) return [];
  const header = records[0].cells.map(h => h.trim().toLowerCase());
  const col = name => header.indexOf(name);
  return records.slice(1).map(r => ({
    key: `row ${r.line}`, label: String(r.line),
    category: r.cells[col('category')], order: r.cells[col('order')], title: r.cells[col('title')],
  }));
}

function jsonRows(source) {
  try {
    const doc = JSON.parse(source.replace(/^\uFEFF/, ''));
    return (Array.isArray(doc?.finalists) ? doc.finalists : []).map((f, i) => ({
      key: `finalists[${i}]`, label: `#${i}`, category: f?.category, order: f?.order, title: f?.title,
    }));
  } catch {
    return [];
  }
}
