#include "net/curl.hpp"

#include "core/error.hpp"

namespace tern {

CurlGlobal::CurlGlobal() {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        throw Failure(ErrorKind::Network, "libcurl could not be initialised");
}

CurlGlobal::~CurlGlobal() { curl_global_cleanup(); }

CurlEasy make_curl_easy() {
    CurlEasy h(curl_easy_init());
    if (!h) throw Failure(ErrorKind::Network, "libcurl could not create a handle (out of memory?)");
    return h;
}

CurlSlist::CurlSlist(const std::vector<std::string>& items) {
    for (const auto& i : items) append(i);
}

void CurlSlist::append(const std::string& item) {
    curl_slist* n = curl_slist_append(list_, item.c_str());
    if (!n) throw Failure(ErrorKind::Network, "libcurl: out of memory");
    list_ = n;
}

}  // namespace tern
