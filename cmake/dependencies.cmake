# Every dependency comes from Debian's packages (see ../shared/DESIGN.md).
find_package(PkgConfig REQUIRED)
find_package(ZLIB REQUIRED)            # MariaDB's compressed events
pkg_check_modules(ISAL REQUIRED IMPORTED_TARGET libisal)   # CRC32 of every event (PCLMUL/AVX, chosen at run time)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)   # TRANSACTION_PAYLOAD
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json REQUIRED)  # the state file (small, not a hot path)
pkg_check_modules(MARIADB REQUIRED IMPORTED_TARGET libmariadb)   # connections, auth, TLS, replication packets
pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka)   # the Kafka sink (and its test broker)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)   # the metrics and health endpoint
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)   # sd_notify: readiness, status and watchdog under systemd
