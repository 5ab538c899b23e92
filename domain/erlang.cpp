#include "domain/erlang.hpp"

namespace cxs::domain {

double erlang_b(uint32_t lines, double erlangs) {
  double b = 1.0;
  for (uint32_t n = 1; n <= lines; ++n) b = erlangs * b / (n + erlangs * b);
  return b;
}

uint32_t lines_needed(double erlangs, double gos) {
  if (erlangs <= 0) return 0;
  // B falls strictly with N, so the first N at or under the target is the answer. Beyond A + 1
  // lines B drops faster than geometrically: the loop ends within a few times sqrt(A) past A.
  double b = 1.0;
  uint32_t n = 0;
  while (b > gos) {
    ++n;
    b = erlangs * b / (n + erlangs * b);
  }
  return n;
}

std::vector<std::pair<uint32_t, double>> erlang_b_table(double erlangs, uint32_t first, uint32_t last) {
  std::vector<std::pair<uint32_t, double>> out;
  double b = 1.0;
  for (uint32_t n = 0; n <= last; ++n) {
    if (n > 0) b = erlangs * b / (n + erlangs * b);
    if (n >= first) out.emplace_back(n, b);
  }
  return out;
}

}  // namespace cxs::domain
