#include "http/customer_routes.hpp"

namespace cxs::http {

std::string customer_route_label(const request& req) {
  return req.path.rfind("/api/", 0) == 0 ? "/api/other" : "other";
}

void handle_customer(const request& req, actors::done_fn done) {
  done(actors::error_reply(404, "not_found", "no route " + req.path));
}

}  // namespace cxs::http
