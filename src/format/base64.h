// Standard base64 (RFC 4648 alphabet, '=' padding, no line breaks): how binary column values
// appear in JSON.
#pragma once

#include <string>
#include <string_view>

namespace cdc::format {

void append_base64(std::string_view bytes, std::string& out);

}  // namespace cdc::format
