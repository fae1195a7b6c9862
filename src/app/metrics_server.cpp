#include "app/metrics_server.h"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>

#include "common/thread_name.h"
#include "metrics/health.h"
#include "metrics/render.h"

namespace cdc::app {
namespace {

constexpr const char* kPrometheusText = "text/plain; version=0.0.4; charset=utf-8";

void answer(httplib::Response& res, const metrics::Verdict& v) {
    res.status = v.ok ? 200 : 503;
    res.set_content(v.reason + "\n", "text/plain; charset=utf-8");
}

}  // namespace

MetricsServerOptions metrics_server_options(const config::Config& config) {
    MetricsServerOptions o;
    o.address = config.metrics_address;
    o.port = config.metrics_port;
    o.unreachable_after = config.ready_unreachable;
    return o;
}

MetricsServer::MetricsServer(const MetricsServerOptions& options, const metrics::Registry& registry)
    : options_(options), registry_(registry), http_(std::make_unique<httplib::Server>()) {}

MetricsServer::~MetricsServer() {
    http_->stop();
    if (thread_.joinable()) thread_.join();
}

Result<std::unique_ptr<MetricsServer>> MetricsServer::start(const MetricsServerOptions& options,
                                                            const metrics::Registry& registry) {
    auto server = std::unique_ptr<MetricsServer>(new MetricsServer(options, registry));
    server->add_routes();
    // Scrapes and probes are few and short: two workers, not one per core.
    server->http_->new_task_queue = [] { return new httplib::ThreadPool(2); };
    errno = 0;
    if (!server->http_->bind_to_port(options.address, options.port)) {
        int err = errno;
        std::string why = err != 0 ? std::strerror(err) : "address not available";
        return make_error(Errc::FailedPrecondition,
                          "cannot listen on METRICS_ADDRESS:METRICS_PORT " + options.address + ":" +
                              std::to_string(options.port) + " (" + why +
                              "): choose a free port and an address of this host, or "
                              "METRICS_PORT=0 to turn the endpoint off");
    }
    server->thread_ = std::thread([s = server.get()]() {
        name_this_thread("cdc-metrics");
        // A scraper that hangs up mid-answer must not kill the daemon: cpp-httplib sends
        // without MSG_NOSIGNAL, so SIGPIPE stays blocked on this thread and on the workers it
        // starts (they inherit the mask); the send fails with EPIPE instead.
        sigset_t pipe;
        sigemptyset(&pipe);
        sigaddset(&pipe, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
        s->http_->listen_after_bind();
    });
    spdlog::info("metrics and health endpoint on http://{}:{}/ (/metrics, /healthz, /readyz)",
                 options.address, options.port);
    return server;
}

void MetricsServer::add_routes() {
    http_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(metrics::render(registry_, std::chrono::system_clock::now()),
                        kPrometheusText);
    });
    http_->Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
        answer(res,
               metrics::liveness(registry_, metrics::steady_ns(std::chrono::steady_clock::now()),
                                 options_.wedged_after));
    });
    http_->Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
        answer(res,
               metrics::readiness(registry_, metrics::steady_ns(std::chrono::steady_clock::now()),
                                  options_.unreachable_after));
    });
}

}  // namespace cdc::app
