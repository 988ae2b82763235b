// libFuzzer target: the reference backend's request handlers, over the wire as a terminal reaches
// them (plain HTTP on loopback, through the connection gate). The first byte picks the operation;
// the rest is its body, or the part of the path or header the terminal would fill in. Whatever
// arrives, the backend answers with a status and the documented JSON error, and keeps serving.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include <spdlog/spdlog.h>

#include "backend/reference_backend.h"

namespace {

using smzc::backend::ReferenceBackend;

// Restarted now and then, so ten million stored applications do not fill memory.
constexpr int kRequestsPerBackend = 20000;

std::unique_ptr<ReferenceBackend> backend;
int port = 0;
int connection = -1;
int served = 0;
std::string known_id;  // an application that exists, for the routes that name one
uint64_t serial = 0;

int connect_to_backend() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const timeval limit{10, 0};  // an answer that never comes is a finding, not a hang
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) __builtin_trap();
  return fd;
}

// The exchange before the last, shown with a finding that may depend on it.
std::string last_request, last_answer;

// Sends one request and reads its whole answer; the status, or 0 when the connection closed
// without one (the backend may close after a request it refuses to read).
int exchange(const std::string& request, std::string* body = nullptr) {
  if (connection < 0) connection = connect_to_backend();
  if (::send(connection, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    ::close(connection);
    connection = -1;
    return 0;
  }
  std::string answer;
  char buf[16384];
  // The answer to HEAD is the header of a GET's answer: its length, but no body.
  const bool head = request.rfind("HEAD ", 0) == 0;
  size_t header_end = std::string::npos, length = 0;
  for (;;) {
    if (header_end == std::string::npos &&
        (header_end = answer.find("\r\n\r\n")) != std::string::npos) {
      header_end += 4;
      const auto at = answer.find("Content-Length: ");
      length = at < header_end && !head ? std::stoul(answer.substr(at + 16)) : 0;
    }
    if (header_end != std::string::npos && answer.size() >= header_end + length) break;
    const ssize_t n = ::recv(connection, buf, sizeof buf, 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) __builtin_trap();  // no answer: hang
    if (n <= 0) break;
    answer.append(buf, static_cast<size_t>(n));
  }
  // Closed before the whole answer: the server's idle timeout or the gate's request deadline
  // cut the connection (both fire when this process is starved of CPU for seconds). That is their
  // defined behaviour, the same as no answer; a client opens a new connection.
  if (header_end == std::string::npos || answer.size() < header_end + length) {
    ::close(connection);
    connection = -1;
    return 0;
  }
  if (answer.find("Connection: close") < header_end) {
    ::close(connection);
    connection = -1;
  }
  if (body) *body = answer.substr(header_end, length);
  const int status = std::atoi(answer.c_str() + 9);
  // Every refusal carries the JSON error body the protocol documents.
  // What went before on the connection is shown too: a finding may depend on it.
  if (status >= 400 && !head && answer.find("{\"error\":", header_end) != header_end) {
    std::fprintf(stderr,
                 "refusal without a JSON error\n--- before:\n%s\n--- its answer:\n%s\n"
                 "--- request:\n%s\n--- answer:\n%s\n",
                 last_request.substr(0, 2000).c_str(), last_answer.substr(0, 2000).c_str(),
                 request.substr(0, 2000).c_str(), answer.substr(0, 2000).c_str());
    __builtin_trap();
  }
  last_request = request;
  last_answer = answer;
  return status;
}

std::string post(const std::string& path, const std::string& body,
                 const std::string& headers = "") {
  return "POST " + path + " HTTP/1.1\r\nHost: fuzz\r\nContent-Type: application/json\r\n" +
         headers + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string get(const std::string& path, const std::string& headers = "") {
  return "GET " + path + " HTTP/1.1\r\nHost: fuzz\r\n" + headers + "\r\n";
}

// What may go into a request line or a header: the terminal would never send a line break.
std::string one_line(std::string text) {
  for (char& c : text)
    if (c == '\r' || c == '\n' || c == ' ' || c == '\0') c = '_';
  return text;
}

void start_backend() {
  spdlog::set_level(spdlog::level::err);  // an info line per application would be most of the work
  if (connection >= 0) ::close(connection);
  connection = -1;
  backend.reset();
  backend = std::make_unique<ReferenceBackend>(ReferenceBackend::Options{});
  auto started = backend->start();
  if (!started) {
    std::fprintf(stderr, "the reference backend did not start: %s\n",
                 started.error().message.c_str());
    std::abort();
  }
  port = started.value();
  served = 0;
  std::string body;
  const std::string application =
      R"({"item_code":"NH-SB-0001","terminal_id":"FUZZ","applicant":{"id_number":"440605199003072315","name":"陈晓明","valid_to":"20400101","birth_date":"19900307","materials":[],"form":{},"elicenses":{},"scans":{}}})";
  if (exchange(post("/v1/applications", application, "Idempotency-Key: fuzz-seed\r\n"), &body) /
          100 !=
      2) {
    std::fprintf(stderr, "the seed application was not accepted: %s\n", body.c_str());
    std::abort();
  }
  const auto at = body.find("\"application_id\":\"");
  known_id = body.substr(at + 18, body.find('"', at + 18) - at - 18);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (!backend || ++served > kRequestsPerBackend) start_backend();
  if (size == 0) return 0;
  const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string key = "Idempotency-Key: fuzz-" + std::to_string(++serial) + "\r\n";
  switch (data[0] % 12) {
    case 0:
      exchange(post("/v1/applications", rest, key));
      break;
    case 1:
      exchange(post("/v1/applications", rest, "Idempotency-Key: fuzz-seed\r\n"));
      break;
    case 2:
      exchange(post("/v1/identity/verify", rest));
      break;
    case 3:
      exchange(post("/v1/elicenses/lookup", rest));
      break;
    case 4:
      exchange(post("/v1/terminals/FUZZ/heartbeat", rest));
      break;
    case 5:
      exchange(post("/v1/applications/" + known_id + "/reprint", rest));
      break;
    case 6:
      exchange(post("/v1/applications/" + known_id + "/print-confirmation", rest));
      break;
    case 7:
      exchange(get("/v1/applications/" + one_line(rest)));
      break;
    case 8:
      exchange(get("/v1/applications?idempotency_key=" + one_line(rest)));
      break;
    case 9:
      exchange(get("/v1/catalogue", "If-None-Match: " + one_line(rest) + "\r\n"));
      break;
    case 10:
      exchange(post("/v1/applications", rest, "X-Journal-Head: " + one_line(rest) + "\r\n" + key));
      break;
    default:
      exchange(one_line(rest.substr(0, rest.find(' '))) + " /v1/" + one_line(rest) +
               " HTTP/1.1\r\nHost: fuzz\r\nContent-Length: 0\r\n\r\n");
  }
  // The backend still serves an honest request after whatever came before (on a new connection
  // if the last one was cut, as any client would).
  if (served % 1000 == 0) {
    const std::string before_request = last_request, before_answer = last_answer;
    int status = exchange(get("/v1/health"));
    if (status == 0) status = exchange(get("/v1/health"));
    if (status != 200) {
      const auto c = backend->connection_counters();
      std::fprintf(stderr,
                   "health check answered %d; gate: accepted %zu, refused per peer %zu, refused "
                   "in all %zu, cut by the deadline %zu\n",
                   status, static_cast<size_t>(c.accepted), static_cast<size_t>(c.refused_per_peer),
                   static_cast<size_t>(c.refused_total), static_cast<size_t>(c.cut_by_deadline));
      std::fprintf(stderr, "--- the exchange before it:\n%s\n--- answered:\n%s\n",
                   before_request.substr(0, 3000).c_str(), before_answer.substr(0, 3000).c_str());
      __builtin_trap();
    }
  }
  return 0;
}
