#include "mime/charset.hpp"

#include <iconv.h>

#include <cerrno>

#include "util/strings.hpp"
#include "util/utf8.hpp"

namespace tern {
namespace {


// iconv_t, closed once.
class Iconv {
public:
    Iconv(const char* to, const char* from) : cd_(iconv_open(to, from)) {}
    ~Iconv() {
        if (ok()) iconv_close(cd_);
    }
    Iconv(const Iconv&) = delete;
    Iconv& operator=(const Iconv&) = delete;
    bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
    iconv_t get() const { return cd_; }

private:
    iconv_t cd_;
};

// Labels as found in mail → names glibc's iconv knows, choosing the superset
// that senders actually mean (as browsers do): latin-1 mail is windows-1252,
// GB2312 is GBK/GB18030, Shift_JIS is CP932, EUC-KR is CP949.
std::string canonical_charset(std::string_view label) {
    std::string l = to_lower(trim(label));
    if (l.size() >= 2 && l.front() == '"' && l.back() == '"') l = l.substr(1, l.size() - 2);
    if (l.empty() || l == "us-ascii" || l == "ascii" || l == "ansi_x3.4-1968" || l == "iso-8859-1" ||
        l == "iso8859-1" || l == "latin1" || l == "latin-1" || l == "iso_8859-1" || l == "cp1252" || l == "windows-1252")
        return "WINDOWS-1252";
    if (l == "utf8" || l == "utf-8" || l == "unicode-1-1-utf-8") return "UTF-8";
    if (l == "gb2312" || l == "gbk" || l == "x-gbk" || l == "cp936" || l == "euc-cn" || l == "gb18030") return "GB18030";
    if (l == "big5" || l == "big5-hkscs" || l == "x-big5") return "BIG5-HKSCS";
    if (l == "shift_jis" || l == "shift-jis" || l == "sjis" || l == "x-sjis" || l == "ms_kanji" || l == "cp932" ||
        l == "windows-31j")
        return "CP932";
    if (l == "euc-kr" || l == "ks_c_5601-1987" || l == "ks_c_5601" || l == "cp949" || l == "x-windows-949") return "CP949";
    if (l == "x-mac-roman" || l == "macintosh" || l == "mac") return "MACINTOSH";
    if (l == "iso-8859-8-i") return "ISO-8859-8";
    if (l == "tis-620" || l == "windows-874") return "CP874";
    if (l.rfind("x-", 0) == 0) l = l.substr(2);
    std::string upper;
    for (const char c : l) upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    return upper;
}

std::string convert(std::string_view bytes, const Iconv& cd, bool& had_errors) {
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 2);
    char* in = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size();
    char buf[4096];
    while (in_left > 0) {
        char* o = buf;
        std::size_t o_left = sizeof buf;
        const std::size_t r = iconv(cd.get(), &in, &in_left, &o, &o_left);
        out.append(buf, sizeof buf - o_left);
        if (r != static_cast<std::size_t>(-1)) continue;
        if (errno == E2BIG) continue;
        // EILSEQ (invalid here) or EINVAL (cut off at the end): mark it, skip a byte
        had_errors = true;
        out += kUtf8Replacement;
        ++in;
        --in_left;
        iconv(cd.get(), nullptr, nullptr, nullptr, nullptr);  // reset shift state (ISO-2022-JP)
    }
    char* o = buf;
    std::size_t o_left = sizeof buf;
    iconv(cd.get(), nullptr, nullptr, &o, &o_left);  // flush
    out.append(buf, sizeof buf - o_left);
    return out;
}

}  // namespace

Utf8Text to_utf8(std::string_view bytes, std::string_view charset) {
    Utf8Text result;
    const std::string name = canonical_charset(charset);
    if (name == "UTF-8" || (name == "WINDOWS-1252" && is_valid_utf8(bytes))) {
        // UTF-8 labelled as ASCII/latin-1 is common; valid UTF-8 is kept as is
        result.had_errors = !is_valid_utf8(bytes);
        result.text = result.had_errors ? sanitize_utf8(bytes) : std::string(bytes);
        return result;
    }
    Iconv cd("UTF-8", name.c_str());
    if (!cd.ok()) {
        if (is_valid_utf8(bytes)) {
            result.shown_as = "UTF-8";
            result.text = std::string(bytes);
            return result;
        }
        result.shown_as = "windows-1252";
        Iconv fallback("UTF-8", "WINDOWS-1252");
        result.text = convert(bytes, fallback, result.had_errors);
        return result;
    }
    result.text = convert(bytes, cd, result.had_errors);
    // iconv may pass through bytes it should not; never hand on invalid UTF-8
    if (!is_valid_utf8(result.text)) result.text = sanitize_utf8(result.text);
    return result;
}

}  // namespace tern
