#pragma once
// Process-wide metrics in Prometheus text format (SPEC §14 fixes the names). Counters and gauges
// are atomics found by name and label set; the lookup takes a mutex, the update does not.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace cxs::metrics {

struct counter {
  std::atomic<uint64_t> value{0};
  void inc(uint64_t n = 1) { value.fetch_add(n, std::memory_order_relaxed); }
};

struct gauge {
  std::atomic<int64_t> value{0};
  void add(int64_t n) { value.fetch_add(n, std::memory_order_relaxed); }
  void set(int64_t n) { value.store(n, std::memory_order_relaxed); }
};

// Request latency buckets in seconds: 0.5 ms .. 10 s.
inline constexpr std::array<double, 14> latency_buckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                           0.1,    0.25,  0.5,    1,     2.5,  5,     10};
// Actor message handling buckets in seconds: 10 µs .. 1 s (most messages take microseconds).
inline constexpr std::array<double, 14> handling_buckets = {0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001,
                                                            0.0025,  0.005,    0.01,    0.025,  0.1,     0.25,   1};
struct histogram {
  explicit histogram(const std::array<double, 14>& b) : bounds(b) {}
  const std::array<double, 14>& bounds;
  std::array<std::atomic<uint64_t>, 14> buckets{};
  std::atomic<uint64_t> count{0};
  std::atomic<uint64_t> sum_ns{0};
  void observe(double seconds);
};

// A label set rendered once, e.g. {kind="account"}.
using labels = std::vector<std::pair<std::string, std::string>>;

class registry {
 public:
  counter& get_counter(const std::string& family, const labels& l = {});
  gauge& get_gauge(const std::string& family, const labels& l = {});
  histogram& get_histogram(const std::string& family, const labels& l = {},
                           const std::array<double, 14>& bounds = latency_buckets);
  // Help text and type are declared once per family so the exposition is valid even before a
  // first observation.
  void describe(const std::string& family, const std::string& type, const std::string& help);
  std::string render() const;

 private:
  struct family {
    std::string type, help;
    std::map<std::string, std::unique_ptr<counter>> counters;
    std::map<std::string, std::unique_ptr<gauge>> gauges;
    std::map<std::string, std::unique_ptr<histogram>> histograms;
  };
  family& fam(const std::string& name, const char* type);
  mutable std::mutex mutex_;
  std::map<std::string, family> families_;
};

registry& global();

// Per actor kind figures: live actors, messages handled, mailbox depth, restarts (SPEC §14).
// Each actor state owns one probe; it counts itself live for as long as it exists.
class actor_probe {
 public:
  explicit actor_probe(const std::string& kind);
  ~actor_probe();
  actor_probe(const actor_probe&) = delete;
  actor_probe& operator=(const actor_probe&) = delete;
  // Times one message from the start of its handler to the end of the scope that holds it.
  class timing {
   public:
    explicit timing(histogram* h) : h_(h), start_(std::chrono::steady_clock::now()) {}
    ~timing() { h_->observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count()); }
    timing(const timing&) = delete;
    timing& operator=(const timing&) = delete;

   private:
    histogram* h_;
    std::chrono::steady_clock::time_point start_;
  };
  // Called at the start of every handler with the actor's current mailbox size; keep the result
  // for the handler's duration: `auto timed = probe.on_message(self->mailbox().size());`.
  [[nodiscard]] timing on_message(std::size_t mailbox_size);
  static void restarted(const std::string& kind);

 private:
  gauge* live_;
  counter* messages_;
  gauge* depth_;
  histogram* handling_;
  int64_t last_depth_ = 0;
};

std::string escape_label(const std::string& v);

}  // namespace cxs::metrics
