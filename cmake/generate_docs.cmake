# Writes the manual pages and the example configuration with the programs
# themselves, from the tables behind --help and `regctl config show`:
#   cmake -DREGISTRYD=… -DREGCTL=… -DOUT=DIR -P generate_docs.cmake
file(MAKE_DIRECTORY ${OUT}/man)
foreach(spec "man/registryd.8;${REGISTRYD};--help-man"
             "man/regctl.8;${REGCTL};--help-man"
             "man/registryd.conf.5;${REGCTL};config;man"
             "registryd.conf.example;${REGCTL};config;example")
  list(POP_FRONT spec file)
  execute_process(COMMAND ${spec} OUTPUT_FILE ${OUT}/${file}.tmp RESULT_VARIABLE rc
                  WORKING_DIRECTORY ${OUT})
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${spec} failed (${rc})")
  endif()
  file(RENAME ${OUT}/${file}.tmp ${OUT}/${file})
endforeach()
