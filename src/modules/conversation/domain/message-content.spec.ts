import { agentMessageAsDelivered, htmlToPlainText, plainTextToHtml } from './message-content';

describe('agent message content', () => {
  it('is HTML for rich-text clients and plain text for the others', () => {
    expect(agentMessageAsDelivered('text/html', '<p>Hi <b>there</b></p>', true)).toEqual({ type: 'text/html', content: '<p>Hi <b>there</b></p>' });
    expect(agentMessageAsDelivered('text/html', '<p>Hi <b>there</b></p>', false)).toEqual({ type: 'text/plain', content: 'Hi there' });
    expect(agentMessageAsDelivered('text/plain', 'a < b\nc', true)).toEqual({ type: 'text/html', content: 'a &lt; b<br>c' });
    expect(agentMessageAsDelivered('text/plain', 'a < b', false)).toEqual({ type: 'text/plain', content: 'a < b' });
  });

  it('strips HTML to the text a reader sees', () => {
    expect(htmlToPlainText('<p>Fish &amp; chips</p><p>are <i>ready</i></p>')).toBe('Fish & chips\nare ready');
    expect(htmlToPlainText('line<br>next<br/>last')).toBe('line\nnext\nlast');
    expect(htmlToPlainText('<script>alert(1)</script><style>p{}</style>ok<!-- note -->')).toBe('ok');
    expect(htmlToPlainText('ok<script type="text/javascript">if (a < b) { steal(); }')).toBe('ok');
    expect(htmlToPlainText('ok<STYLE>p { color: red }')).toBe('ok');
    expect(htmlToPlainText('ok<!-- draft: <p>not sent</p>')).toBe('ok');
    expect(htmlToPlainText('&lt;b&gt; &#233;&#x20AC; &amp;lt; &unknown;')).toBe('<b> é€ &lt; &unknown;');
    expect(htmlToPlainText('<ul><li>one</li><li>two</li></ul>')).toBe('one\ntwo');
  });

  it('drops a reference to a character a message may not hold, and keeps tab and line breaks', () => {
    expect(htmlToPlainText('a&#1;b&#x1B;[2Jc&#x7f;d&#xFFFE;e&#xffff;f')).toBe('ab[2Jcdef');
    expect(htmlToPlainText('a&#9;b&#10;c&#x2028;d')).toBe('a b\nc\u2028d');
  });

  it('decodes numeric references as a browser does: windows-1252 for 128–159, U+FFFD for no character', () => {
    expect(htmlToPlainText('d&#133;e &#x80;5 &#150;')).toBe('d…e €5 –');
    expect(htmlToPlainText('g&#xD800;h&#57343;i &#0; &#x110000;')).toBe('g\uFFFDh\uFFFDi \uFFFD \uFFFD');
  });

  it('keeps a < that starts no tag, as a browser shows it, and a > inside a quoted attribute in its tag', () => {
    expect(htmlToPlainText('<p>a < b and c > d</p>')).toBe('a < b and c > d');
    expect(htmlToPlainText('x<3 y>2, a <= b >= c')).toBe('x<3 y>2, a <= b >= c');
    expect(htmlToPlainText('<a href="x>y" title=\'>\'>link</a> <!DOCTYPE html><?xml version="1.0"?>end')).toBe('link end');
  });

  it('decodes the named references of HTML by their case-sensitive names, as a browser reads them in text', () => {
    expect(htmlToPlainText('Tr&egrave;s bien, I&rsquo;ll check&hellip; &mdash; 5&nbsp;&euro; &copy; &frac12; &sup2;')).toBe('Très bien, I’ll check… — 5 € © ½ ²');
    expect(htmlToPlainText('&Eacute;t&eacute; &Omega;&omega; &AMP; &LT;b&GT; &Nbsp;x &check; &rarr; &NotEqualTilde;')).toBe('Été Ωω & <b> &Nbsp;x ✓ → \u2242\u0338');
    // The legacy names without their semicolon, as HTML keeps them for old pages.
    expect(htmlToPlainText('&EACUTE; &eacute &copy 2026 AT&T')).toBe('&EACUTE; é © 2026 AT&T');
  });

  it('starts a line where a block starts, as a browser shows it, and keeps table cells apart', () => {
    expect(htmlToPlainText('Hello<div>World</div><div>again</div>')).toBe('Hello\nWorld\nagain');
    expect(htmlToPlainText('Intro<p>para</p>\n<p>next</p>end<hr>after<h2 class="t">Title</h2>body')).toBe('Intro\npara\nnext\nend\nafter\nTitle\nbody');
    expect(htmlToPlainText('<p>one</p><br><p>two</p>')).toBe('one\n\ntwo');
    expect(htmlToPlainText('a<br class="x">b<BR/>c')).toBe('a\nb\nc');
    expect(htmlToPlainText('<table><tr><td>Order</td><td>1234</td></tr><tr><th>State</th><th>sent</th></tr></table>')).toBe('Order 1234\nState sent');
    expect(htmlToPlainText('<pre>x</pre><param>y<picture>z')).toBe('x\nyz');
  });

  it('escapes plain text into HTML', () => {
    expect(plainTextToHtml(`<"it's" & me>`)).toBe('&lt;&quot;it&#39;s&quot; &amp; me&gt;');
  });

  it('turns every line break a message may hold into <br>: CR LF, LF, and a CR alone', () => {
    expect(plainTextToHtml('one\r\ntwo\nthree\rfour\r\rsix')).toBe('one<br>two<br>three<br>four<br><br>six');
    expect(agentMessageAsDelivered('text/plain', 'Hello\rBye', true)).toEqual({ type: 'text/html', content: 'Hello<br>Bye' });
  });
});
