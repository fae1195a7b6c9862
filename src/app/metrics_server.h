// MetricsServer: the HTTP endpoint on METRICS_ADDRESS:METRICS_PORT (cpp-httplib), on a thread
// of its own: /metrics (Prometheus text), /healthz (alive), /readyz (ready for traffic).
// docs/OPERATIONS.md describes the routes and what their answers mean.
//
//   auto server = MetricsServer::start(options, registry);  // binds now: an error if it can't
//   if (!server) fail(server.error().message);
//   ...                                                      // serves until destroyed
//
// Only reads the registry. The destructor stops the server and joins its thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "common/result.h"
#include "config/config.h"
#include "metrics/registry.h"

namespace httplib {
class Server;
}

namespace cdc::app {

struct MetricsServerOptions {
    std::string address = "0.0.0.0";
    uint16_t port = 0;
    std::chrono::seconds unreachable_after{15};  // READY_UNREACHABLE_SECONDS
    std::chrono::seconds wedged_after{300};      // /healthz
};

MetricsServerOptions metrics_server_options(const config::Config& config);

class MetricsServer {
public:
    static Result<std::unique_ptr<MetricsServer>> start(const MetricsServerOptions& options,
                                                        const metrics::Registry& registry);
    ~MetricsServer();
    MetricsServer(const MetricsServer&) = delete;
    MetricsServer& operator=(const MetricsServer&) = delete;

private:
    MetricsServer(const MetricsServerOptions& options, const metrics::Registry& registry);
    void add_routes();

    MetricsServerOptions options_;
    const metrics::Registry& registry_;
    std::unique_ptr<httplib::Server> http_;
    std::thread thread_;
};

}  // namespace cdc::app
