import { AppError } from '../errors/app-error';
import { parseXml, toXml } from './xml-codec';

function refusal(xml: string): AppError {
  try {
    parseXml(xml);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('xml-codec', () => {
  describe('parseXml', () => {
    it('maps elements onto the JSON shape, ids as attributes or children, known lists as arrays', () => {
      const xml = `<?xml version="1.0" encoding="UTF-8"?>
        <conversation xmlns="urn:example:v19">
          <entryPointConfiguration><entryPoint id="1001"/><lastModified><date>2026-01-05T10:00:00.000Z</date></lastModified></entryPointConfiguration>
          <activity>
            <case><id>1204</id></case>
            <customer><contacts><contact>
              <email><emailAddress>ada@example.com</emailAddress></email>
              <email><emailAddress>ada@example.org</emailAddress></email>
              <phone><type><value>mobile</value></type><phoneNo>+44 20</phoneNo></phone>
            </contact></contacts></customer>
          </activity>
        </conversation>`;
      expect(parseXml(xml)).toEqual({
        root: 'conversation',
        content: {
          entryPointConfiguration: { entryPoint: { id: '1001' }, lastModified: { date: '2026-01-05T10:00:00.000Z' } },
          activity: {
            case: { id: '1204' },
            customer: { contacts: { contact: [{
              email: [{ emailAddress: 'ada@example.com' }, { emailAddress: 'ada@example.org' }],
              phone: [{ type: { value: 'mobile' }, phoneNo: '+44 20' }],
            }] } },
          },
        },
      });
    });

    it('ignores namespace prefixes and declarations', () => {
      expect(parseXml('<ns:conversation xmlns:ns="urn:x"><ns:activity ns:x="1"><ns:subject>Hi</ns:subject></ns:activity></ns:conversation>')).toEqual({
        root: 'conversation', content: { activity: { x: '1', subject: 'Hi' } },
      });
    });

    it('keeps the whitespace of values, as JSON strings keep theirs', () => {
      expect(parseXml('<c><a>   </a><b> x  y </b><d>\n\tz\n</d><e id=" 1 "/></c>').content).toEqual({ a: '   ', b: ' x  y ', d: '\n\tz\n', e: { id: ' 1 ' } });
    });

    it('drops the whitespace that lays out elements, at every level', () => {
      const xml = '<conversation>\n  <activity>\n    <subject> Hi </subject>\n    <customer>\n      <contacts>\n        <contact>\n          <email> <emailAddress>a@b.c</emailAddress> </email>\n        </contact>\n      </contacts>\n    </customer>\n  </activity>\n</conversation>\n';
      expect(parseXml(xml)).toEqual({ root: 'conversation', content: { activity: { subject: ' Hi ', customer: { contacts: { contact: [{ email: [{ emailAddress: 'a@b.c' }] }] } } } } });
    });

    it('reads a root holding only whitespace as empty content', () => {
      expect(parseXml('<conversation>\n  \n</conversation>')).toEqual({ root: 'conversation', content: '' });
      expect(parseXml('<conversation xmlns="urn:v19">\n  \n</conversation>')).toEqual({ root: 'conversation', content: '' });
      expect(parseXml('<conversation xmlns="urn:v19"/>')).toEqual({ root: 'conversation', content: '' });
    });

    it('keeps text beside child elements as a member no request knows', () => {
      expect(parseXml('<c><a>x<b>1</b></a></c>').content).toEqual({ a: { b: '1', '#text': 'x' } });
    });

    it('ignores attributes in a namespace other than their element\'s: xsi:*, xml:*, declarations', () => {
      const xml = '<conversation xmlns="urn:v19" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:v19 v19.xsd">'
        + '<activity xml:lang="en" xsi:type="x" other:id="9"><subject>Hi</subject></activity><case xmlns:v="urn:v19" v:id="7"/></conversation>';
      expect(parseXml(xml)).toEqual({ root: 'conversation', content: { activity: { subject: 'Hi' }, case: { id: '7' } } });
    });

    it('reads an element whose only attributes are ignored ones as its text, or as empty', () => {
      const xml = '<message xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><content xml:lang="en">Hi &amp; bye</content>'
        + '<conversation><id xsi:type="xs:string">c-1</id></conversation><type><value xml:lang="en"/></type></message>';
      expect(parseXml(xml)).toEqual({ root: 'message', content: { content: 'Hi & bye', conversation: { id: 'c-1' }, type: { value: '' } } });
    });

    it('reads a value element whose only attributes are dropped as its text, or as empty text', () => {
      const xml = '<c xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><subject xml:lang="en">Hi &amp; bye</subject>'
        + '<timeOffset xsi:type="xs:int">-300</timeOffset><blank xml:lang="en">  </blank>'
        + '<activity xml:lang="en"/><entryPoint id="1" xsi:type="x"> </entryPoint><referrerName xmlns="urn:v19">Shop</referrerName></c>';
      expect(parseXml(xml).content).toEqual({ subject: 'Hi & bye', timeOffset: '-300', blank: '  ', activity: '', entryPoint: { id: '1' }, referrerName: 'Shop' });
    });

    it('reads the same document whatever prefix names the namespace', () => {
      const expected = { root: 'conversation', content: { entryPoint: { id: '1' }, contact: [{ email: [{ emailAddress: 'a@b.c' }] }] } };
      expect(parseXml('<v:conversation xmlns:v="urn:v19"><v:entryPoint v:id="1"/><v:contact><v:email><v:emailAddress>a@b.c</v:emailAddress></v:email></v:contact></v:conversation>')).toEqual(expected);
      expect(parseXml('<conversation xmlns="urn:v19"><entryPoint id="1"/><contact><email><emailAddress>a@b.c</emailAddress></email></contact></conversation>')).toEqual(expected);
    });

    it.each([
      ['an element name with two colons', '<c xmlns:a="urn:a"><a:b:subject>x</a:b:subject></c>', 'element name "a:b:subject"'],
      ['an element name with two colons, undeclared', '<c><a:b:c>x</a:b:c></c>', 'element name "a:b:c"'],
      ['a root element name with two colons', '<a:b:c xmlns:a="urn:a"/>', 'element name "a:b:c"'],
      ['an element name with an empty prefix', '<c><:subject>x</:subject></c>', 'element name ":subject"'],
      ['a root element name with an empty prefix', '<:conversation/>', 'element name ":conversation"'],
      ['an element name with an empty local name', '<c><a:>x</a:></c>', 'element name "a:"'],
      ['a root element name with an empty local name', '<a:/>', 'element name "a:"'],
      ['an element whose local name starts with a digit', '<c xmlns:a="urn:a"><a:1b>x</a:1b></c>', 'element name "a:1b"'],
      ['an element whose local name starts with "-"', '<c><a:-b/></c>', 'element name "a:-b"'],
      ['an element whose local name starts with "."', '<c><a:.b/></c>', 'element name "a:.b"'],
      ['an element in a list', '<c><contact/><contact><p:q:email/></contact></c>', 'element name "p:q:email"'],
      ['an attribute name with an empty local name', '<c><a x:="1"/></c>', 'attribute name "x:"'],
      ['an attribute name with an empty prefix', '<c><a :id="1"/></c>', 'attribute name ":id"'],
      ['an attribute name with an empty prefix, under a default namespace', '<c xmlns="urn:v19"><a :id="1"/></c>', 'attribute name ":id"'],
      ['an attribute name with two colons', '<c xmlns:p="urn:p"><a p:y:id="1"/></c>', 'attribute name "p:y:id"'],
      ['an attribute whose local name starts with a digit', '<c xmlns:p="urn:p"><a p:1x="1"/></c>', 'attribute name "p:1x"'],
      ['a declaration of the empty prefix', '<c xmlns:="urn:x"><a>x</a></c>', 'attribute name "xmlns:"'],
      ['a declaration of a prefix with a colon', '<c><a xmlns:b:c="urn:x"/></c>', 'attribute name "xmlns:b:c"'],
      ['an element whose local name would be refused', '<c><:constructor>x</:constructor></c>', 'element name ":constructor"'],
      ['an attribute whose local name would be refused', '<c><a x::__proto__="1"/></c>', 'attribute name "x::__proto__"'],
    ])('refuses %s as not well-formed (XML Namespaces 1.0), not reading it under another name', (_name, xml, named) => {
      const err = refusal(xml);
      expect([err.kind, err.message]).toEqual(['BodyMalformed', `XML is not well-formed: ${named} is not a qualified name (name or prefix:name, XML Namespaces 1.0)`]);
    });

    it('reads names of one or no colon, and leaves the content of processing instructions unread as names', () => {
      expect(parseXml('<c xmlns:p="urn:p"><p:a p:id="1"/><a.b-c_d>x</a.b-c_d><q:e>y</q:e><?pi a:b:c="1" x:="2"?></c>').content).toEqual({
        a: { id: '1' }, 'a.b-c_d': 'x', e: 'y',
      });
    });

    it('refuses one name given twice under two prefixes', () => {
      const err = refusal('<c xmlns:a="urn:a" xmlns:b="urn:b"><activity><a:subject>x</a:subject><b:subject>y</b:subject></activity></c>');
      expect(err.kind).toBe('BodyInvalid');
      expect(err.details).toBe('activity.subject');
    });

    it('reads an empty list container as the empty list, as JSON writes it, not as empty text', () => {
      expect(parseXml('<c><activity><customAttributes/><customer><contacts>\n</contacts></customer></activity></c>').content).toEqual({
        activity: { customAttributes: { customAttribute: [] }, customer: { contacts: { contact: [] } } },
      });
      expect(parseXml('<c><customAttribute><attribValues></attribValues></customAttribute></c>').content).toEqual({ customAttribute: [{ attribValues: { attribValue: [] } }] });
      // Text in one is no list: left for the validator to refuse.
      expect(parseXml('<c><contacts>x</contacts></c>').content).toEqual({ contacts: 'x' });
      expect(parseXml(toXml('c', { customAttributes: { customAttribute: [] } })).content).toEqual({ customAttributes: { customAttribute: [] } });
    });

    it('keeps every value as text: no number or boolean guessing', () => {
      expect(parseXml('<c><a>007</a><b>true</b><d>1e3</d></c>').content).toEqual({ a: '007', b: 'true', d: '1e3' });
    });

    it('decodes the predefined entities and character references, once', () => {
      expect(parseXml('<c><a>Tom &amp; Jerry &lt;3 &gt; &quot;q&quot; &apos;s&apos; &#233;&#x20AC;&#x1F600; &amp;lt;</a><b v="x&amp;y"/></c>').content).toEqual({
        a: 'Tom & Jerry <3 > "q" \'s\' \u00e9\u20ac\u{1F600} &lt;',
        b: { v: 'x&y' },
      });
    });

    it.each([
      ['a control character', '<c><a>x\u0001y</a></c>', 'line 1, column 8'],
      ['a control character in an attribute', '<c>\n<a v="x\u001by"/></c>', 'line 2, column 8'],
      ['U+FFFE', '<c><a>x\uFFFEy</a></c>', 'line 1, column 8'],
      ['U+FFFF in CDATA', '<c><a><![CDATA[\uFFFF]]></a></c>', 'line 1, column 16'],
    ])('refuses a document holding %s, which XML does not allow even unescaped, by its position', (_name, xml, position) => {
      const err = refusal(xml);
      expect(err.kind).toBe('BodyMalformed');
      expect(err.message).toBe(`XML is not well-formed: InvalidChar at ${position}`);
    });

    it.each([
      ['an empty document', ''],
      ['a blank document', ' \r\n '],
      ['an XML declaration alone', '<?xml version="1.0"?>'],
      ['a comment alone', '<!-- c -->'],
    ])('refuses %s as holding no root element, not at an undefined column', (_name, xml) => {
      const err = refusal(xml);
      expect(err.kind).toBe('BodyMalformed');
      expect(err.message).toBe('XML is not well-formed: no root element');
    });

    it.each([
      ['a bare &', '<c><a v="x & y"/></c>'],
      ['a <', '<c><a v="x < y"/></c>'],
      ['a bare & in a dropped attribute', '<c xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="a & b"><a>x</a></c>'],
      ['a bare & in a namespace declaration', '<c xmlns:p="urn:a&b"><a>x</a></c>'],
    ])('refuses an attribute value holding %s, which XML does not allow there', (_name, xml) => {
      expect(refusal(xml).kind).toBe('BodyMalformed');
    });

    it.each([
      ['a negative number', '&#-1;'],
      ['a negative hexadecimal number', '&#x-41;'],
      ['a sign', '&#+65;'],
      ['letters after the digits', '&#65abc;'],
      ['letters after the hexadecimal digits', '&#x41zz;'],
      ['an uppercase X', '&#X41;'],
      ['no digits', '&#x;'],
    ])('refuses a character reference in an attribute value with %s as malformed, never as an internal error nor as a character', (_name, reference) => {
      const err = refusal(`<c><a v="${reference}"/></c>`);
      expect([err.kind, err.message]).toEqual(['BodyMalformed', 'XML is not well-formed: a malformed character reference (&#digits; or &#xhex;)']);
    });

    it('reads each white space character of an attribute value as a space, a referenced one as itself', () => {
      expect(parseXml('<c><a v="x\ty\r\nz\nw\rv&#10;u&#9;t"/></c>').content).toEqual({ a: { v: 'x y z w v\nu\tt' } });
    });

    it('keeps CDATA literal', () => {
      expect(parseXml('<c><a><![CDATA[1 < 2 & &amp; stays]]></a></c>').content).toEqual({ a: '1 < 2 & &amp; stays' });
    });

    it.each([
      ['a comment', '<c><!-- <![CDATA[ --><a>y</a><!-- ]]> --></c>'],
      ['a processing instruction', '<c><?note <![CDATA[ ?><a>y</a><?note ]]> ?></c>'],
    ])('reads "<![CDATA[" inside %s as part of it, not as the start of a CDATA section', (_name, xml) => {
      expect(parseXml(xml).content).toEqual({ a: 'y' });
    });

    it('refuses "<![CDATA[" in an attribute value, where XML allows no "<"', () => {
      expect(refusal('<c><a v="<![CDATA[y]]>"/></c>').kind).toBe('BodyMalformed');
    });

    it.each([
      ['"]]>" in text', '<c><a>x]]>y</a></c>'],
      ['an XML declaration after a comment', '<!-- c --><?xml version="1.0"?><c><a>x</a></c>'],
      ['an XML declaration inside the root', '<c>\n<?xml version="1.0"?><a>x</a></c>'],
    ])('refuses %s, which XML does not allow', (_name, xml) => {
      expect(refusal(xml).kind).toBe('BodyMalformed');
    });

    it('reads "]]>" where XML allows it, and a declaration at the start', () => {
      const expected = { a: 'x]]>y', b: { v: ']]>' } };
      expect(parseXml('<?xml version="1.0"?><c><a>x]]&gt;y</a><b v="]]>"/><!-- ]]> --></c>').content).toEqual(expected);
      expect(parseXml('<?xml version="1.0"?><c><a><![CDATA[x]]>]]&gt;y</a><b v="]]>"/><?xml-stylesheet href="s"?></c>').content).toEqual(expected);
    });

    it.each([
      ['1.0', '<?xml version="1.0"?>'],
      ['1.1, read as 1.0', "<?xml version='1.1'?>"],
      ['1.0 with encoding and standalone, spaced', '<?xml  version = "1.0"\n encoding="UTF-8" standalone=\'yes\' ?>'],
    ])('reads a document declaring XML %s', (_name, declaration) => {
      expect(parseXml(`${declaration}<c><a>x</a></c>`).content).toEqual({ a: 'x' });
    });

    it.each([
      ['version 2.0', '<?xml version="2.0"?>'],
      ['version 1', '<?xml version="1"?>'],
      ['version 0.9', '<?xml version="0.9" encoding="UTF-8"?>'],
    ])('refuses a document declaring XML %s (400-111)', (_name, declaration) => {
      const err = refusal(`${declaration}<c><a>x</a></c>`);
      expect(err.kind).toBe('BodyMalformed');
      expect(err.message).toMatch(/^XML version not supported/);
    });

    it.each([
      ['no version', '<?xml?>'],
      ['only an encoding', '<?xml encoding="UTF-8"?>'],
      ['the encoding before the version', '<?xml encoding="UTF-8" version="1.0"?>'],
      ['a standalone other than yes or no', '<?xml version="1.0" standalone="maybe"?>'],
      ['an unknown pseudo-attribute', '<?xml version="1.0" lang="en"?>'],
      ['mismatched quotes', '<?xml version="1.0\'?>'],
      ['the target in capitals', '<?XML version="1.0"?>'],
    ])('refuses an XML declaration with %s as malformed', (_name, declaration) => {
      const err = refusal(`${declaration}<c><a>x</a></c>`);
      expect(err.kind).toBe('BodyMalformed');
      expect(err.message).toMatch(/^XML is not well-formed: a malformed XML declaration/);
    });

    it('reads an empty root as empty content', () => {
      expect(parseXml('<conversation/>')).toEqual({ root: 'conversation', content: '' });
    });

    it.each([
      ['a DOCTYPE', '<!DOCTYPE c><c/>'],
      ['an entity declaration', '<!DOCTYPE c [<!ENTITY e "x">]><c>&e;</c>'],
      ['an external entity', '<!DOCTYPE c [<!ENTITY e SYSTEM "file:///etc/passwd">]><c>&e;</c>'],
      ['a lowercase doctype', '<!doctype c><c/>'],
    ])('refuses %s', (_name, xml) => {
      expect(refusal(xml).kind).toBe('XmlForbiddenConstruct');
    });

    it.each([
      ['not XML', 'hello'],
      ['an empty document', ''],
      ['an unclosed element', '<c><a></c>'],
      ['two roots', '<c/><c/>'],
      ['two different roots', '<a/><b/>'],
      ['a bare ampersand', '<c>a & b</c>'],
      ['an undeclared entity', '<c>&nbsp;</c>'],
      ['a reference to a character XML forbids', '<c>&#0;</c>'],
      ['a reference to a control character', '<c>&#x1;</c>'],
      ['a reference to a surrogate', '<c>&#xD800;</c>'],
      ['a reference beyond Unicode', '<c>&#x110000;</c>'],
    ])('refuses %s as malformed', (_name, xml) => {
      expect(refusal(xml).kind).toBe('BodyMalformed');
    });

    it.each([
      ['a comment', '<c a="1"/><!-- x'],
      ['a CDATA section', '<c/><![CDATA[x'],
      ['a processing instruction', '<c><a/></c><?pi x'],
      ['a declaration', '<c/><!x'],
    ])('refuses %s left open after the root element as malformed, never as an internal error, quoting none of the text', (_name, xml) => {
      const err = refusal(xml);
      expect(err.kind).toBe('BodyMalformed');
      expect(err.message).toMatch(/^XML is not well-formed: (a comment, CDATA section, processing instruction or declaration that is not closed|text or markup outside the root element)$/);
    });

    it.each([
      ['a style sheet instruction on a line of its own', '<?xml version="1.0" encoding="UTF-8"?>\n<?xml-stylesheet type="text/xsl" href="c.xsl"?>\n<c><a>x</a></c>'],
      ['a processing instruction after the root element', '<c><a>x</a></c>\n<?pi data?>\n'],
      ['processing instructions and comments around the root element', '\n<?pi?>\r\n<!-- made by hand -->\t<c><a>x</a></c>\n<?pi?>\n'],
    ])('reads a document with %s, white space between them', (_name, xml) => {
      expect(parseXml(xml)).toEqual({ root: 'c', content: { a: 'x' } });
    });

    it.each([
      ['text after a root element that closes itself', '<c/>x'],
      ['a reference after a root element that closes itself', '<c a="1"/>\n&#65;'],
      ['text after a comment after a root element that closes itself', '<c/><!-- a -->x'],
      ['a CDATA section after the root element', '<c><a>x</a></c><![CDATA[y]]>'],
      ['a CDATA section before the root element', '<![CDATA[y]]><c><a>x</a></c>'],
    ])('refuses %s, which XML does not allow and the parser would drop', (_name, xml) => {
      const err = refusal(xml);
      expect([err.kind, err.message]).toEqual(['BodyMalformed', 'XML is not well-formed: text or markup outside the root element']);
    });

    it('reads a root element that closes itself, followed by comments, instructions and white space', () => {
      expect(parseXml('<?xml version="1.0"?>\n<c a="/>x" b=\'>\'/>\n<!-- end -->\n<?pi?>\n')).toEqual({ root: 'c', content: { a: '/>x', b: '>' } });
      expect(parseXml('<c><a><![CDATA[x]]></a><b/></c><!-- <![CDATA[ --> ')).toEqual({ root: 'c', content: { a: 'x', b: '' } });
    });

    it('reads an element marked xsi:nil as null, the XML form of a JSON null', () => {
      const xsi = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
      expect(parseXml(`<callback ${xsi}><url xsi:nil="true"/><format>json</format></callback>`)).toEqual({ root: 'callback', content: { url: null, format: 'json' } });
      expect(parseXml(`<callback xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><url i:nil="1"></url></callback>`)).toEqual({ root: 'callback', content: { url: null } });
      // Not nil: false, or an attribute named nil outside the XML Schema instance namespace.
      expect(parseXml(`<callback ${xsi}><url xsi:nil="false">u</url></callback>`)).toEqual({ root: 'callback', content: { url: 'u' } });
      expect(parseXml('<callback xmlns:o="urn:other"><url o:nil="true"/></callback>')).toEqual({ root: 'callback', content: { url: '' } });
      const err = refusal(`<callback ${xsi}><url xsi:nil="true">https://r.example/</url></callback>`);
      expect([err.kind, err.details]).toEqual(['BodyInvalid', 'url']);
      const nested = refusal(`<callback ${xsi}><authentication><type xsi:nil="true">basic</type></authentication></callback>`);
      expect([nested.kind, nested.details]).toEqual(['BodyInvalid', 'authentication.type']);
    });

    it.each([
      ['spaces', '  '],
      ['a line break', '\n'],
      ['a tab between comments', '<!-- a -->\t<!-- b -->'],
      ['a space sent as a reference', '&#32;'],
    ])('refuses an element marked xsi:nil holding white space (%s): XML Schema allows a nilled element no characters', (_name, content) => {
      const xsi = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
      const err = refusal(`<callback ${xsi}><url xsi:nil="true">${content}</url></callback>`);
      expect([err.kind, err.details]).toEqual(['BodyInvalid', 'url']);
      const root = refusal(`<conversation ${xsi} xsi:nil="true"> </conversation>`);
      expect([root.kind, root.details]).toEqual(['BodyInvalid', 'conversation']);
    });

    it('reads an element marked xsi:nil holding only a comment or an empty CDATA section as null: neither is a character', () => {
      const xsi = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
      expect(parseXml(`<callback ${xsi}><url xsi:nil="true"><!-- none --></url></callback>`).content).toEqual({ url: null });
      expect(parseXml(`<callback ${xsi}><url xsi:nil="true"><![CDATA[]]></url></callback>`).content).toEqual({ url: null });
    });

    it.each([
      ['an element', 'activity.__proto__', '<c><activity><__proto__>x</__proto__></activity></c>'],
      ['an element', 'constructor', '<c><constructor>x</constructor></c>'],
      ['an element', 'prototype', '<c><prototype/></c>'],
      ['a prefixed element', '__proto__', '<p:c xmlns:p="urn:x"><p:__proto__>1</p:__proto__></p:c>'],
      ['a root', '__proto__', '<__proto__/>'],
      ['an attribute', 'a.constructor', '<c><a constructor="1"/></c>'],
      ['an attribute', '__proto__', '<c __proto__="1"/>'],
      ['an element', 'toString', '<c><toString>1</toString></c>'],
      ['an element', 'hasOwnProperty', '<c><hasOwnProperty/></c>'],
      ['an attribute', 'a.valueOf', '<c><a valueOf="1"/></c>'],
      ['an element in a list', 'contact.1.email.0.constructor', '<c><contact/><contact><email><constructor/></email></contact></c>'],
    ])('refuses %s named as in %s, naming it by its path as a JSON member of such a name is', (_what, path, xml) => {
      const err = refusal(xml);
      expect(err.kind).toBe('BodyInvalid');
      expect(err.details).toBe(path);
      expect(err.message).toBe(`${path}: this name is not allowed`);
    });

    it('refuses a name given both as attribute and as element, naming it by its path as in JSON', () => {
      const err = refusal('<c><entryPointConfiguration><entryPoint id="1"><id>2</id></entryPoint></entryPointConfiguration></c>');
      expect(err.kind).toBe('BodyInvalid');
      expect(err.details).toBe('entryPointConfiguration.entryPoint.id');
      const inList = refusal('<c><customer><contacts><contact><externalId>a</externalId></contact><contact externalId="b"><externalId>c</externalId></contact></contacts></customer></c>');
      expect(inList.details).toBe('customer.contacts.contact.1.externalId');
    });
  });

  describe('toXml', () => {
    it('maps objects to elements and arrays to repeated elements', () => {
      expect(toXml('conversation', { id: 'a1', link: [{ rel: 'self' }, { rel: 'next' }], entryPoint: { id: '1001' } })).toBe(
        '<?xml version="1.0" encoding="UTF-8"?><conversation><id>a1</id><link><rel>self</rel></link><link><rel>next</rel></link><entryPoint><id>1001</id></entryPoint></conversation>',
      );
    });

    it('escapes & < > in text', () => {
      const xml = toXml('WSError', { developerMessage: 'a & b < c > d' });
      expect(xml).toContain('<developerMessage>a &amp; b &lt; c &gt; d</developerMessage>');
      expect(parseXml(xml).content).toEqual({ developerMessage: 'a & b < c > d' });
    });

    it('cannot be broken out of by the text it carries', () => {
      const evil = '</code><injected>1</injected><code>';
      expect(parseXml(toXml('WSError', { code: evil })).content).toEqual({ code: evil });
    });

    it('writes a carriage return as &#13;, which XML readers would otherwise turn into a line feed', () => {
      const xml = toXml('message', { content: 'line 1\r\nline 2\rline 3' });
      expect(xml).toContain('<content>line 1&#13;\nline 2&#13;line 3</content>');
      expect(xml).not.toContain('\r');
      expect(parseXml(xml).content).toEqual({ content: 'line 1\r\nline 2\rline 3' });
    });

    it('replaces characters XML cannot carry, so the document stays well-formed', () => {
      const xml = toXml('WSError', { details: 'a\u0000b\u0007c\uFFFEd\uD800e' });
      expect(parseXml(xml).content).toEqual({ details: 'a\uFFFDb\uFFFDc\uFFFDd\uFFFDe' });
    });

    it('round-trips a document through the JSON <-> XML mapping', () => {
      const doc = { entryPoint: { id: '1001' }, subject: 'Caf\u00e9 & "bar" <3', link: [{ rel: 'self', href: '/x?a=1&b=2' }] };
      expect(parseXml(toXml('conversation', doc))).toEqual({ root: 'conversation', content: doc });
    });
  });
});
