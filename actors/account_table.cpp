#include "actors/account_table.hpp"

#include "domain/account_pack.hpp"

#include <stdexcept>

namespace cxs::actors {

domain::account account_table::decode(const std::string& bytes) {
  auto a = domain::unpack_account(bytes);
  // Only pack_account's own output is ever stored here.
  if (!a) throw std::logic_error("account_table: a record does not decode");
  return std::move(*a);
}

account_ptr account_table::find(const std::string& id) const {
  auto it = packed_.find(id);
  if (it == packed_.end()) return nullptr;
  return std::make_shared<const domain::account>(decode(it->second));
}

void account_table::put(const domain::account& a) { packed_.insert_or_assign(a.id, domain::pack_account(a)); }

}  // namespace cxs::actors
