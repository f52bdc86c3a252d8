#!/usr/bin/python3
"""Writes the hand-made messages of tests/corpus (run in this folder).

Each NAME.eml has its expected rendering in NAME.txt (what `tern render`
prints), checked by tests/unit/test_corpus.cpp. The .txt files were reviewed
by hand; regenerate them only after checking every difference.
"""
import base64


def w(name, data):
    open(name, "wb").write(data if isinstance(data, bytes) else data.encode())


def b64(s, cs):
    return base64.b64encode(s.encode(cs)).decode()


# one message per charset: encoded name and subject, 8-bit body
for cs, text in [("koi8-r", "Привет, мир! Съешь же ещё этих мягких французских булок."),
                 ("iso-2022-jp", "日本語のメールです。よろしくお願いします。"),
                 ("shift_jis", "日本語のメールです。"),
                 ("euc-jp", "日本語のメールです。"),
                 ("big5", "這是繁體中文郵件。"),
                 ("gb2312", "这是简体中文邮件。"),
                 ("gb18030", "这是简体中文邮件，𠀀。"),
                 ("euc-kr", "한국어 메일입니다."),
                 ("windows-1251", "Кириллица в windows-1251."),
                 ("windows-1252", "“Smart quotes” – and € in windows-1252."),
                 ("iso-8859-15", "Prix : 10 € - œuvre."),
                 ("iso-8859-2", "Zażółć gęślą jaźń."),
                 ("iso-8859-7", "Καλημέρα κόσμε."),
                 ("us-ascii", "Plain ASCII text.")]:
    cyr = cs in ("koi8-r", "windows-1251")
    sender = b64("Отправитель", cs) if cyr else b64("Sender", "us-ascii")
    hdr = ("From: =?%s?B?%s?= <sender@example.org>\nTo: you@example.com\nSubject: =?%s?B?%s?=\n"
           "Date: Mon, 2 Mar 2026 10:00:00 +0000\nMIME-Version: 1.0\n"
           "Content-Type: text/plain; charset=%s\nContent-Transfer-Encoding: 8bit\n\n") % (
        cs if cyr else "us-ascii", sender, cs, b64(text[:10], cs), cs)
    w("charset-%s.eml" % cs, hdr.encode() + text.encode(cs) + b"\n")

w("charset-unknown.eml", b"From: a@example.org\nSubject: unknown charset\nContent-Type: text/plain; charset=x-klingon\n\ncaf\xe9 ok\n")
w("charset-utf8-invalid.eml", b"From: a@example.org\nSubject: bad UTF-8\nContent-Type: text/plain; charset=utf-8\n\n"
  b"valid \xc3\xa9, invalid \xc3\x28 and \xff, cut \xe6\x97\n")

# a hostile sender: escape sequences in headers, body and file name
w("hostile-escapes.eml",
  "From: Evil \x1b[31mRed\x1b[0m <evil@example.org>\n"
  "Subject: =?utf-8?q?clear_screen_=1B[2J_here?=\n"
  "To: you@example.com\n"
  "Content-Type: multipart/mixed; boundary=b\n\n"
  "--b\nContent-Type: text/plain; charset=utf-8\n\n"
  "title change \x1b]0;owned\x07 done\n"
  "C1 CSI \xc2\x9b" "31m red\n"
  "overwrite\rHIDDEN\n"
  "bell\x07 and del\x7f and nul\x00 end\n"
  "--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"../../.bashrc\x1b[2J\"\n\nx\n--b--\n")

w("forwarded.eml",
  "From: Alice <alice@example.com>\nTo: Bob <bob@example.org>\nSubject: Fwd: the plan\nDate: Tue, 3 Mar 2026 09:00:00 +0100\n"
  "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"fw\"\n\n"
  "--fw\nContent-Type: text/plain; charset=us-ascii\n\nSee below.\n\n"
  "--fw\nContent-Type: message/rfc822\nContent-Disposition: inline\n\n"
  "From: =?utf-8?q?Fran=C3=A7ois?= <f@example.fr>\nTo: alice@example.com\nSubject: =?utf-8?q?Le_plan?=\n"
  "Date: Mon, 2 Mar 2026 18:00:00 +0100\n"
  "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nVoil=C3=A0 le plan, tr=C3=A8s =\nlong.\n"
  "--fw--\n")

w("rfc2231-names.eml",
  "From: a@example.org\nSubject: attachments\nContent-Type: multipart/mixed; boundary=x\n\n"
  "--x\nContent-Type: text/plain\n\nThree files.\n"
  "--x\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n"
  "Content-Disposition: attachment; filename*=UTF-8''%C3%9Cbersicht%202026.pdf\n\nJVBERi0xLjQK\n"
  "--x\nContent-Type: text/plain; name*0*=UTF-8''%E6%97%A5%E6%9C%AC; name*1=\"-notes.txt\"\n"
  "Content-Disposition: attachment\n\nnotes\n"
  "--x\nContent-Type: image/png; name=\"=?UTF-8?B?w6lwaG90by5wbmc=?=\"\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n"
  "--x--\n")

w("html-only.eml",
  "From: shop@example.com\nSubject: Your order\nContent-Type: text/html; charset=utf-8\n\n"
  "<html><head><title>T</title><style>p { color: red }</style><script>alert('x')</script></head>"
  "<body><h1>Order&nbsp;#42</h1><p>Thanks &amp; welcome, caf&eacute; &#8364;5 &#x263A;.</p>"
  "<ul><li>First item</li><li>Second <b>item</b></li></ul>"
  "<p>Track it <a href=\"https://example.com/track?id=42&amp;x=1\">here</a> or "
  "<a href=\"mailto:help@example.com\">mail us</a>.</p>"
  "<blockquote>quoted text</blockquote><pre>  pre\n    formatted</pre><!-- hidden comment --><p>Bye</p></body></html>\n")

w("alternative.eml",
  "From: a@example.org\nSubject: alt\nContent-Type: multipart/alternative; boundary=a\n\n"
  "--a\nContent-Type: text/plain; charset=utf-8\n\nthe plain version\n"
  "--a\nContent-Type: text/html; charset=utf-8\n\n<p>the <b>html</b> version</p>\n--a--\n")

w("flowed.eml",
  "From: a@example.org\nSubject: flowed\nContent-Type: text/plain; charset=utf-8; format=flowed; delsp=no\n\n"
  "This paragraph is \nwrapped by the sender \nand joins again.\n"
  ">> deep quote that \n>> continues\n"
  "> shallow quote\n"
  " >stuffed line\n"
  "\n-- \nsig line \nstays\n")

w("broken.eml",
  "From: a@example.org\nSubject: broken structure\nContent-Type: multipart/mixed; boundary=\"never-closed\"\n\n"
  "--never-closed\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
  "SGVsbG8g!!!***~~~d29y\tbGQh\n"
  "--never-closed\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n"
  "soft =\nbreak, caf=E9, bad =ZZ escape\n")

w("headers-8bit.eml",
  b"From: J\xc3\xb6rg <j@example.de>\nSubject: Gr\xfc\xdfe aus M\xfcnchen\nTo: Groupies: a@x, b@x;\n"
  b"Cc: (comment only) c@example.com\nthis is not a header line\nDate: 2 Mar 26 10:00 CET\n"
  b"Content-Type: text/plain; charset=iso-8859-1\n\nK\xf6rper\n")

w("crlf.eml", "From: a@example.org\r\nSubject: CRLF line ends\r\nContent-Type: text/plain\r\n\r\nline one\r\nline two\r\n")

# found by the fuzzer: an encoded line break must not split a header line
w("header-encoded-newline.eml", "From: a@example.org\nSubject: =?utf-8?q?two=0Alines=10_and_=0D_CR?=\n\nbody\n")

# GBK (a superset of GB2312), labelled as such
w("charset-gbk.eml", "From: a@example.org\nSubject: =?gbk?B?%s?=\nContent-Type: text/plain; charset=gbk\n\n".encode()
  .replace(b"%s", base64.b64encode("简体中文".encode("gbk"))) + "这是GBK邮件：镕。\n".encode("gbk"))

# a huge folded header (hundreds of KB) and a long body line
w("huge-header.eml", "From: a@example.org\nSubject: big\nX-Huge: " + "\n ".join(["word%d" % i for i in range(40000)]) +
  "\nContent-Type: text/plain\n\n" + "y" * 100000 + "\nend\n")

# multipart without a boundary parameter, and a digest of messages
w("missing-boundary.eml", "From: a@example.org\nSubject: no boundary\nContent-Type: multipart/mixed\n\n--x\nstill shown as text\n")
w("digest.eml", "From: list@example.org\nSubject: digest\nContent-Type: multipart/digest; boundary=d\n\n"
  "--d\n\nFrom: one@example.org\nSubject: first\n\nfirst body\n"
  "--d\n\nFrom: two@example.org\nSubject: second\n\nsecond body\n--d--\n")
