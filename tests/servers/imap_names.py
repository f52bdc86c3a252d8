"""The test tools' view of an IMAP server's folder names, so that the same
suite runs against Dovecot (separator '/', folders at the top) and Debian's
Cyrus (separator '.', the user's folders under "INBOX."): a test names a
folder as tern's local tree does ("Saved/Deep"), these functions turn it
into the server's name and back, from NAMESPACE and LIST.

    import imap_names
    m = imap_names.connect(port, ca, user, password)
    imap_names.server_name(m, "Saved/Deep")  -> "INBOX.Saved.Deep" on Cyrus
    imap_names.folders(m)                    -> [(local name, server name)]
"""
import imaplib
import re
import ssl


def connect(port, ca, user="testuser", password="testpass", timeout=30):
    context = ssl.create_default_context(cafile=ca)
    context.check_hostname = False
    m = imaplib.IMAP4_SSL("127.0.0.1", int(port), ssl_context=context, timeout=timeout)
    m.login(user, password)
    return m


def namespace(m):
    """(prefix, delimiter) of the personal namespace: ("INBOX.", ".") on Cyrus, ("", "/") on Dovecot."""
    if getattr(m, "_tern_ns", None) is None:
        prefix, delim = "", "/"
        typ, data = m.namespace()
        if typ == "OK" and data and data[0]:
            found = re.match(rb'\(\("([^"]*)" (?:"([^"]*)"|NIL)\)', data[0])
            if found:
                prefix = found.group(1).decode()
                delim = (found.group(2) or b"").decode() or delim
        m._tern_ns = (prefix, delim)
    return m._tern_ns


def server_name(m, local):
    if local.upper() == "INBOX":
        return "INBOX"
    prefix, delim = namespace(m)
    return prefix + local.replace("/", delim)


def local_name(m, server):
    if server.upper() == "INBOX":
        return "INBOX"
    prefix, delim = namespace(m)
    if prefix and server.startswith(prefix):
        server = server[len(prefix):]
    return server.replace(delim, "/")


def quoted(name):
    return '"%s"' % name.replace("\\", "\\\\").replace('"', '\\"')


def folders(m):
    """[(local name, server name)] of the selectable folders."""
    out = []
    typ, data = m.list('""', '"*"')
    for line in data or []:
        if not line:
            continue
        if isinstance(line, tuple):
            line = line[0] + b'"' + line[1] + b'"'
        found = re.match(rb'\(([^)]*)\) (?:"(?:[^"\\]|\\.)*"|NIL) (.*)$', line)
        if not found or b"\\noselect" in found.group(1).lower():
            continue
        name = found.group(2).decode()
        if name.startswith('"'):
            name = name[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        out.append((local_name(m, name), name))
    return out


def append_all(m, server, messages, batch=100):
    """APPEND [(flags, internal date or None, CRLF bytes)] to the folder
    named `server`: as one MULTIAPPEND with LITERAL+ per batch where the
    server has both (Cyrus and Dovecot do), so no round trip waits for a
    continuation (imaplib's one APPEND at a time costs ~45 ms each against
    Cyrus); returns "OK" or the refusal."""
    caps = {c.upper() for c in m.capabilities}
    if not ({"MULTIAPPEND", "LITERAL+"} <= caps):
        for flags, date, data in messages:
            typ, reply = m.append(quoted(server), flags, date, data)
            if typ != "OK":
                return "%s %s" % (typ, reply)
        return "OK"
    for start in range(0, len(messages), batch):
        tag = m._new_tag()
        out = [tag + b" APPEND " + quoted(server).encode()]
        for flags, date, data in messages[start:start + batch]:
            part = b""
            if flags:
                part += b" " + flags.encode()
            if date:
                part += b" " + date.encode()
            out.append(part + b" {%d+}\r\n" % len(data) + data)
        m.send(b"".join(out) + b"\r\n")
        while True:
            line = m.readline()
            if not line:
                return "connection closed"
            if line.startswith(tag + b" "):
                if not line[len(tag) + 1:].upper().startswith(b"OK"):
                    return line.decode("utf-8", "replace").strip()
                break
    return "OK"
