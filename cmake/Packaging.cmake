# Installation and the Debian package (CPack). `cmake --install build --prefix DIR` gives:
#   DIR/bin/mysql-cdc
#   DIR/share/man/man1/mysql-cdc.1.gz          generated from the settings table
#   DIR/share/doc/mysql-cdc/                    README.md, docs/*.md, packaging/README.md,
#                                               mysql-cdc.env.example
#   DIR/lib/systemd/system/mysql-cdc.service, mysql-cdc@.service (one instance per env file)
#   ETC/mysql-cdc/mysql-cdc.env                 the example, mode 0600 (a conffile in the .deb)
# ETC is /etc when DIR is /usr (the package), DIR/../etc when DIR ends in /usr (a root file
# system made for tests), else DIR/etc. Nothing from tests/, bench/, fuzz/ or tools/.
# `cmake --build build --target package` (or `cd build && cpack -G DEB`) makes the .deb.
include(GNUInstallDirs)

set(MYSQL_CDC_MAN_PAGE ${CMAKE_BINARY_DIR}/packaging/mysql-cdc.1)
set(MYSQL_CDC_ENV_EXAMPLE ${CMAKE_BINARY_DIR}/packaging/mysql-cdc.env.example)
# Both come from the built binary, so they always describe its settings.
add_custom_command(
  OUTPUT ${MYSQL_CDC_MAN_PAGE} ${MYSQL_CDC_MAN_PAGE}.gz ${MYSQL_CDC_ENV_EXAMPLE}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/packaging
  COMMAND sh -c "\"$1\" --print-man-page > \"$2\" && gzip -9nc \"$2\" > \"$2.gz\" && \"$1\" --print-env-example > \"$3\""
          sh $<TARGET_FILE:mysql-cdc> ${MYSQL_CDC_MAN_PAGE} ${MYSQL_CDC_ENV_EXAMPLE}
  DEPENDS mysql-cdc
  COMMENT "Generating the man page and the example environment file"
  VERBATIM)
add_custom_target(packaging_files ALL DEPENDS ${MYSQL_CDC_MAN_PAGE}.gz ${MYSQL_CDC_ENV_EXAMPLE})

install(TARGETS mysql-cdc RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${MYSQL_CDC_MAN_PAGE}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
file(GLOB MYSQL_CDC_DOCS ${CMAKE_SOURCE_DIR}/docs/*.md)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${MYSQL_CDC_DOCS} ${MYSQL_CDC_ENV_EXAMPLE}
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/mysql-cdc)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/README.md DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/mysql-cdc
        RENAME PACKAGING.md)
# The template unit mysql-cdc@NAME.service runs one instance per /etc/mysql-cdc/NAME.env, with
# the state in /var/lib/mysql-cdc/NAME. It is made from the main unit, so the two cannot drift
# apart; a line that is no longer there to replace stops the configuration.
set(MYSQL_CDC_TEMPLATE_UNIT ${CMAKE_BINARY_DIR}/packaging/mysql-cdc@.service)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${CMAKE_SOURCE_DIR}/packaging/mysql-cdc.service)
file(READ ${CMAKE_SOURCE_DIR}/packaging/mysql-cdc.service cdc_unit)
set(cdc_template "# Generated from mysql-cdc.service by cmake/Packaging.cmake: instance NAME reads
# /etc/mysql-cdc/NAME.env and keeps its state in /var/lib/mysql-cdc/NAME.
${cdc_unit}")
foreach(pair
    "Environment=Quix__State__Dir=/var/lib/mysql-cdc\n|Environment=Quix__State__Dir=/var/lib/mysql-cdc/%i\n"
    "EnvironmentFile=/etc/mysql-cdc/mysql-cdc.env\n|EnvironmentFile=/etc/mysql-cdc/%i.env\n"
    "StateDirectory=mysql-cdc\n|StateDirectory=mysql-cdc/%i\n"
    "exactly once\n|exactly once (instance %i)\n")
  string(REPLACE "|" ";" pair "${pair}")
  list(GET pair 0 from)
  list(GET pair 1 to)
  string(REPLACE "\\n" "\n" from "${from}")
  string(REPLACE "\\n" "\n" to "${to}")
  string(FIND "${cdc_template}" "${from}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "packaging/mysql-cdc.service has no line '${from}' to make the template unit from")
  endif()
  string(REPLACE "${from}" "${to}" cdc_template "${cdc_template}")
endforeach()
file(WRITE ${MYSQL_CDC_TEMPLATE_UNIT} "${cdc_template}")
install(FILES ${CMAKE_SOURCE_DIR}/packaging/mysql-cdc.service ${MYSQL_CDC_TEMPLATE_UNIT}
        DESTINATION lib/systemd/system)
# The configuration directory depends on the prefix at install time (cpack installs with
# prefix /usr), so it is chosen then.
install(CODE [[
  get_filename_component(cdc_prefix_name "${CMAKE_INSTALL_PREFIX}" NAME)
  get_filename_component(cdc_prefix_parent "${CMAKE_INSTALL_PREFIX}" DIRECTORY)
  if(cdc_prefix_name STREQUAL "usr")
    set(cdc_etc "${cdc_prefix_parent}/etc")
  else()
    set(cdc_etc "${CMAKE_INSTALL_PREFIX}/etc")
  endif()
  string(REPLACE "//" "/" cdc_etc "${cdc_etc}")
]])
install(CODE "file(INSTALL DESTINATION \"\${cdc_etc}/mysql-cdc\" TYPE FILE
  PERMISSIONS OWNER_READ OWNER_WRITE RENAME mysql-cdc.env FILES \"${MYSQL_CDC_ENV_EXAMPLE}\")")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME mysql-cdc)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "mysql-cdc maintainers <mysql-cdc@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "MySQL/MariaDB change data capture: row changes to Kafka as JSON, exactly once")
set(CPACK_PACKAGE_DESCRIPTION
    "mysql-cdc reads a MySQL or MariaDB server's binary log as a replica and writes every row
change of the watched tables as one JSON line to Kafka, a file or standard output, resuming
exactly where it stopped. It runs as the systemd service mysql-cdc.service, configured in
/etc/mysql-cdc/mysql-cdc.env.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_PREFIX /usr)  # the prefix CPACK_SET_DESTDIR installs with
# Absolute destinations (the /etc of install(CODE) above) land in the package's tree.
set(CPACK_SET_DESTDIR ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/mysql-cdc/mysql-cdc")
# Library dependencies from dpkg-shlibdeps (packages dpkg-dev and file): libmariadb3, librdkafka1,
# libsystemd0, ... with the versions this build needs.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The environment file is a conffile: an upgrade keeps the operator's edits. The maintainer
# scripts reload systemd on install and removal and stop the service on removal; the service is not enabled or started,
# since it cannot run before the file is edited.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/packaging/debian/conffiles
    ${CMAKE_SOURCE_DIR}/packaging/debian/postinst
    ${CMAKE_SOURCE_DIR}/packaging/debian/prerm
    ${CMAKE_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
