#pragma once
// The customer listener's routes. The sign-up, login and /api/… routes arrive with the customers
// issue; until then every path answers a JSON 404 so clients get a clear, stable error.

#include "actors/service.hpp"
#include "http/request.hpp"

namespace cxs::http {

std::string customer_route_label(const request& req);
void handle_customer(const request& req, actors::done_fn done);

}  // namespace cxs::http
