# Installs contrib/registryd.service (REG_UNIT_SOURCE) with the paths of
# this installation: the binaries in PREFIX/sbin, the configuration in
# /etc/registryd (PREFIX/etc/registryd unless PREFIX is /usr).
file(READ ${REG_UNIT_SOURCE} unit)
set(conf ${CMAKE_INSTALL_PREFIX}/etc/registryd)
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(conf /etc/registryd)
endif()
string(REPLACE "/usr/sbin/" "${CMAKE_INSTALL_PREFIX}/sbin/" unit "${unit}")
string(REPLACE "/etc/registryd/" "${conf}/" unit "${unit}")
set(tmp ${CMAKE_CURRENT_BINARY_DIR}/contrib/install/registryd.service)
file(WRITE ${tmp} "${unit}")
file(INSTALL ${tmp} DESTINATION "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
