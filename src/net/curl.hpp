// The libcurl handles, each wrapped once: the global init, an easy handle and
// a string list. Nothing else in tern calls curl_easy_init/cleanup.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>
#include <vector>

namespace tern {

// curl_global_init for the life of main(); create it before any thread.
class CurlGlobal {
public:
    CurlGlobal();
    ~CurlGlobal();
    CurlGlobal(const CurlGlobal&) = delete;
    CurlGlobal& operator=(const CurlGlobal&) = delete;
};

struct CurlEasyDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;

// A new easy handle; throws Failure when libcurl cannot make one.
CurlEasy make_curl_easy();

class CurlSlist {
public:
    CurlSlist() = default;
    explicit CurlSlist(const std::vector<std::string>& items);
    CurlSlist(const CurlSlist&) = delete;
    CurlSlist& operator=(const CurlSlist&) = delete;
    CurlSlist(CurlSlist&& o) noexcept : list_(o.list_) { o.list_ = nullptr; }
    ~CurlSlist() { curl_slist_free_all(list_); }
    void append(const std::string& item);
    curl_slist* get() const { return list_; }

private:
    curl_slist* list_ = nullptr;
};

}  // namespace tern
