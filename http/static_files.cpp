#include "http/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace cxs::http {

namespace fs = std::filesystem;

namespace {

std::string content_type(const std::string& ext) {
  static const std::unordered_map<std::string, std::string> types{{".html", "text/html; charset=utf-8"},
                                                                  {".js", "text/javascript; charset=utf-8"},
                                                                  {".mjs", "text/javascript; charset=utf-8"},
                                                                  {".css", "text/css; charset=utf-8"},
                                                                  {".json", "application/json"},
                                                                  {".svg", "image/svg+xml"},
                                                                  {".png", "image/png"},
                                                                  {".ico", "image/x-icon"},
                                                                  {".webp", "image/webp"},
                                                                  {".ttf", "font/ttf"},
                                                                  {".woff2", "font/woff2"},
                                                                  {".txt", "text/plain; charset=utf-8"},
                                                                  {".map", "application/json"}};
  auto it = types.find(ext);
  return it == types.end() ? "application/octet-stream" : it->second;
}

bool read_file(const fs::path& p, std::string& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  out = std::move(s).str();
  return static_cast<bool>(in) || in.eof();
}

std::string trim(std::string s) {
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace

std::string pick_encoding(const std::string& accept_encoding, bool have_br, bool have_gzip) {
  bool br = false, gzip = false;
  std::stringstream list(accept_encoding);
  std::string item;
  while (std::getline(list, item, ',')) {
    auto semi = item.find(';');
    auto name = trim(item.substr(0, semi));
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool allowed = true;
    if (semi != std::string::npos) {
      auto param = trim(item.substr(semi + 1));
      if (param.rfind("q=", 0) == 0) allowed = std::strtod(param.c_str() + 2, nullptr) > 0;
    }
    if (name == "br") br = allowed;
    if (name == "gzip") gzip = allowed;
  }
  if (have_br && br) return "br";
  if (have_gzip && gzip) return "gzip";
  return {};
}

std::shared_ptr<const static_site> static_site::load(const std::string& root, std::string& error) {
  auto site = std::make_shared<static_site>();
  std::error_code ec;
  if (root.empty() || !fs::is_directory(root, ec)) return site;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    auto rel = fs::relative(it->path(), root).generic_string();
    auto ext = it->path().extension().string();
    if (ext == ".gz" || ext == ".br") continue;  // attached to their originals below
    file f;
    f.type = content_type(ext);
    f.immutable = rel.rfind("assets/", 0) == 0;  // Vite puts a content hash in these names
    if (!read_file(it->path(), f.body)) {
      error = "cannot read " + it->path().string();
      return nullptr;
    }
    // HTML documents go out uncompressed: they are a few hundred bytes, and a compressed answer
    // at a page's URL is what BREACH needs (testssl.sh flags it); scripts and styles, the bulk,
    // keep their brotli and gzip copies.
    bool compressible = f.type.rfind("text/html", 0) != 0;
    auto gz = it->path().string() + ".gz";
    auto br = it->path().string() + ".br";
    if (!compressible) gz.clear(), br.clear();
    if (!gz.empty() && fs::exists(gz) && !read_file(gz, f.gzip)) {
      error = "cannot read " + gz;
      return nullptr;
    }
    if (!br.empty() && fs::exists(br) && !read_file(br, f.brotli)) {
      error = "cannot read " + br;
      return nullptr;
    }
    site->files_.emplace("/" + rel, std::move(f));
  }
  if (ec) {
    error = "cannot list " + root + ": " + ec.message();
    return nullptr;
  }
  return site;
}

std::optional<reply> static_site::answer(const std::string& path, const std::string& accept_encoding) const {
  auto it = files_.find(path);
  if (it == files_.end()) {
    // A client-side route (/login, /signup/confirm/{token}, …): no extension in its last segment.
    auto last = path.substr(path.rfind('/') + 1);
    if (last.find('.') != std::string::npos) return std::nullopt;
    it = files_.find("/index.html");
    if (it == files_.end()) return std::nullopt;
  }
  auto& f = it->second;
  reply r;
  r.content_type = f.type;
  auto encoding = pick_encoding(accept_encoding, !f.brotli.empty(), !f.gzip.empty());
  r.body = encoding == "br" ? f.brotli : encoding == "gzip" ? f.gzip : f.body;
  if (!encoding.empty()) r.headers.emplace_back("Content-Encoding", encoding);
  if (!f.brotli.empty() || !f.gzip.empty()) r.headers.emplace_back("Vary", "Accept-Encoding");
  r.headers.emplace_back("Cache-Control", f.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  return r;
}

}  // namespace cxs::http
