// The links in a message's text, for the URL list (mutt users' urlview):
// http, https, ftp, www. and mailto: addresses, in the order they appear,
// each once, without the punctuation that ends a sentence around them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tern {

std::vector<std::string> find_urls(std::string_view text);

}  // namespace tern
