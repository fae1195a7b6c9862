#include "app/service_notifier.h"

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include "common/thread_name.h"

namespace cdc::app {
namespace {

using Clock = std::chrono::steady_clock;

std::atomic<bool> g_ready_sent{false};
std::atomic<bool> g_watchdog_on{false};
std::atomic<bool> g_in_event_loop{false};
std::atomic<int64_t> g_loop_tick{0};  // Clock ticks of the event loop's last turn

int64_t now_ticks() { return Clock::now().time_since_epoch().count(); }

// A status text is one line: a newline would start another assignment in the datagram.
std::string one_line(std::string_view text) {
    std::string line(text.substr(0, 1024));
    for (char& c : line) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    return line;
}

void send(const std::string& message) {
    // unset_environment=0: children (none today) could notify too; the return value only says
    // whether a socket was there, which is no error either way.
    if (sd_notify(0, message.c_str()) < 0) spdlog::debug("sd_notify failed: {}", message);
}

}  // namespace

void notify_status(std::string_view text) { send("STATUS=" + one_line(text)); }

void notify_ready(std::string_view text) {
    bool first = !g_ready_sent.exchange(true);
    send(std::string(first ? "READY=1\n" : "") + "STATUS=" + one_line(text));
}

void notify_stopping() { send("STOPPING=1\nSTATUS=stopping: flushing and saving the checkpoint"); }

void notify_streaming(bool in_event_loop) {
    g_loop_tick.store(now_ticks(), std::memory_order_relaxed);
    g_in_event_loop.store(in_event_loop, std::memory_order_relaxed);
}

void loop_alive() {
    if (g_watchdog_on.load(std::memory_order_relaxed)) {
        g_loop_tick.store(now_ticks(), std::memory_order_relaxed);
    }
}

void start_watchdog() {
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return;
    g_loop_tick.store(now_ticks(), std::memory_order_relaxed);
    g_watchdog_on.store(true, std::memory_order_relaxed);
    const auto period = std::chrono::microseconds(usec);
    spdlog::info("systemd watchdog: pinging every {} ms while the event loop turns", usec / 2000);
    std::thread([period]() {
        name_this_thread("cdc-watchdog");
        for (;;) {
            std::this_thread::sleep_for(period / 2);
            auto since_tick =
                Clock::duration(now_ticks() - g_loop_tick.load(std::memory_order_relaxed));
            bool stuck = g_in_event_loop.load(std::memory_order_relaxed) && since_tick > period;
            if (!stuck) send("WATCHDOG=1");
        }
    }).detach();
}

}  // namespace cdc::app
