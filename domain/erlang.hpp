// Erlang B: how many lines a busy hour's offered traffic needs (SPEC §7 detailed 07, §15 "lines").
//
// B(N, A) is the probability that a call finds all N lines busy when A erlangs are offered. It is
// computed by the recurrence B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)), which never forms the
// factorials or powers of the closed formula and stays exact to double precision for A in the
// tens of thousands (tests check published values and A = 10,000).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace cxs::domain {

// B(lines, erlangs); 1 for 0 lines, 0 for no traffic on at least one line. erlangs ≥ 0.
double erlang_b(uint32_t lines, double erlangs);

// The smallest N with B(N, erlangs) ≤ gos (0 < gos < 1); 0 when erlangs is 0.
uint32_t lines_needed(double erlangs, double gos);

// (N, B(N, erlangs)) for N = first..last, computed in one pass of the recurrence.
std::vector<std::pair<uint32_t, double>> erlang_b_table(double erlangs, uint32_t first, uint32_t last);

}  // namespace cxs::domain
