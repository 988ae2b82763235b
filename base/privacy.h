// Masking of personal data for logs, screens and diagnostics (PIPL).
#pragma once

#include <string>
#include <string_view>

namespace smzc {

/// "440605199001011234" -> "440605********1234": region code and last four stay.
std::string mask_id_number(std::string_view id);
/// "张三丰" -> "张**": the first character stays, the rest become '*'.
std::string mask_name(std::string_view name);
/// Keeps the first six characters of an address (province/city) and hides the rest.
std::string mask_address(std::string_view address);

/// "13812345678" -> "138****5678".
std::string mask_phone(std::string_view phone);

/// Makes this process unable to leave a core dump (RLIMIT_CORE 0, not dumpable): a process that
/// holds citizens' data must not write it to disk when it crashes. Called first thing by every
/// program that sees personal data; children inherit the limit. Returns false if refused.
bool forbid_core_dumps();

/// Overwrites a string's bytes before it is released, so a citizen's data does not linger in freed
/// memory after the session ends.
void wipe(std::string& s);

}  // namespace smzc
