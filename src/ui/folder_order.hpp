// The order of an account's folders in the folder list and the sidebar:
// those named by mutt's `mailboxes` lines first, in the order given (a name
// is "FOLDER" or "ACCOUNT/FOLDER"), then the rest in their usual order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tern {

std::vector<std::string> order_folders(std::vector<std::string> folders, std::string_view account, const std::vector<std::string>& mailboxes);

}  // namespace tern
