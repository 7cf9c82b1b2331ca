import { adminApi, adminLogin, type AdminApi } from './support/admin';
import { Stack } from './support/stack';

/** The six administered lists, by path, with the keys their answers hold their items under. */
const LISTS = [
  { path: 'departments', plural: 'departments', item: 'department', table: 'department' },
  { path: 'queues', plural: 'queues', item: 'queue', table: 'chat_queue' },
  { path: 'entrypoints', plural: 'entryPoints', item: 'entryPoint', table: 'entry_point' },
  { path: 'agents', plural: 'agents', item: 'agent', table: 'agent' },
  { path: 'clientapplications', plural: 'clientApplications', item: 'clientApplication', table: 'client_application' },
  { path: 'attributes', plural: 'attributeDefinitions', item: 'attributeDefinition', table: 'attribute_definition' },
] as const;

/**
 * Administered lists answer a page at a time, in id order, with a `next` link while more
 * items follow, so that no reading loads an unbounded list.
 */
describe('administration: lists a page at a time', () => {
  let stack: Stack;
  let admin: AdminApi;

  beforeAll(async () => {
    // Reads of the administration API alone: no worker.
    stack = await Stack.start({ workers: 0 });
    admin = adminApi(stack, await adminLogin(stack));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const prefix = () => `${new URL(stack.contextUrl).pathname}/ws/v19/administration/`;

  /** Follows `next` from `first` (a path under the administration API) to the last page; answers every page's ids. */
  async function follow(first: string, plural: string, item: string, xml = false): Promise<{ pages: string[][]; hrefs: string[] }> {
    const pages: string[][] = [];
    const hrefs: string[] = [];
    let path: string | undefined = first;
    while (path !== undefined) {
      const res = await admin('GET', path, xml ? { headers: { Accept: 'application/xml' } } : {});
      expect(res.status).toBe(200);
      const list = xml ? res.body : res.body[plural];
      const items = list[item] === undefined ? [] : [list[item]].flat();
      pages.push(items.map((i: { id: string }) => String(i.id)));
      const next = (list.link ?? []).find((l: { rel: string }) => l.rel === 'next');
      if (next === undefined) break;
      hrefs.push(next.href);
      expect(next.href.startsWith(prefix())).toBe(true);
      path = next.href.slice(prefix().length);
      expect(pages.length).toBeLessThan(1000);
    }
    return { pages, hrefs };
  }

  const idsIn = async (table: string, where = ''): Promise<string[]> => (await stack.db.query(`SELECT id FROM ${table} ${where} ORDER BY id`)).map((r: { id: string | number }) => String(r.id));

  it.each(LISTS)('$path: pages of one follow each other to the last item, each item once', async ({ path, plural, item, table }) => {
    const all = await idsIn(table);
    expect(all.length).toBeGreaterThanOrEqual(2);
    const { pages, hrefs } = await follow(`${path}?limit=1`, plural, item);
    expect(pages.flat()).toEqual(all);
    expect(pages.every((p) => p.length === 1)).toBe(true);
    expect(hrefs).toEqual(all.slice(0, -1).map((id) => `${prefix()}${path}?after=${id}&limit=1`));
  });

  it('answers 200 items by default, then the rest after the link, whose query keeps the default limit implicit', async () => {
    const values = Array.from({ length: 203 }, (_, i) => `('paged ${String(i).padStart(3, '0')}')`).join(', ');
    await stack.db.query(`INSERT INTO department (name) VALUES ${values}`);
    const all = await idsIn('department');
    const { pages, hrefs } = await follow('departments', 'departments', 'department');
    expect(pages.map((p) => p.length)).toEqual([200, all.length - 200]);
    expect(pages.flat()).toEqual(all);
    expect(hrefs).toEqual([`${prefix()}departments?after=${all[199]}`]);
    const most = await admin('GET', 'departments?limit=1000');
    expect([most.body.departments.department.length, most.body.departments.link]).toEqual([all.length, undefined]);
  });

  it('starts after any id, existing or not, in any form the API reads ids', async () => {
    const all = await idsIn('department');
    const third = Number(all[2]);
    const after = await admin('GET', `departments?after=${String(third).padStart(6, '0')}&limit=2`);
    expect(after.body.departments.department.map((d: { id: string }) => d.id)).toEqual(all.slice(3, 5));
    const gap = await admin('GET', `departments?after=${Number(all.at(-1)) + 100}`);
    expect([gap.status, gap.body.departments.department, gap.body.departments.link]).toEqual([200, [], undefined]);
    const largest = await admin('GET', 'departments?after=9999999999999999999');
    expect([largest.status, largest.body.departments.department]).toEqual([200, []]);
  });

  it('keeps the attribute list\'s scope in its next link, and pages within that scope only', async () => {
    const contact = await idsIn('attribute_definition', "WHERE scope = 'contact'");
    expect(contact.length).toBeGreaterThanOrEqual(2);
    const { pages, hrefs } = await follow('attributes?scope=contact&limit=1', 'attributeDefinitions', 'attributeDefinition');
    expect(pages.flat()).toEqual(contact);
    expect(hrefs[0]).toBe(`${prefix()}attributes?scope=contact&after=${contact[0]}&limit=1`);
  });

  it('links the next page in XML answers too', async () => {
    const all = await idsIn('chat_queue');
    const { pages, hrefs } = await follow('queues?limit=1', 'queues', 'queue', true);
    expect(pages.flat()).toEqual(all);
    expect(hrefs.length).toBe(all.length - 1);
  });

  it.each([
    ['departments?after=abc', '400-105', 'after'],
    ['departments?after=-1', '400-105', 'after'],
    ['departments?after=10000000000000000000', '400-105', 'after'],
    ['departments?limit=0', '400-105', 'limit'],
    ['departments?limit=1001', '400-105', 'limit'],
    ['departments?limit=2.5', '400-105', 'limit'],
    ['departments?limit=1&limit=2', '400-104', 'limit'],
    ['agents?after=1&after=2', '400-104', 'after'],
    ['attributes?scope=contact&scope=activity', '400-104', 'scope'],
  ])('refuses %s with %s', async (path, code, details) => {
    const res = await admin('GET', path);
    expect([res.status, res.body.code, res.body.details]).toEqual([400, code, details]);
  });
});
