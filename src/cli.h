/* cli.h — the command line: tiaojie serve | init | migrate | version | user | … */
#ifndef TJ_CLI_H
#define TJ_CLI_H

/* Exit codes: 0 success, 1 runtime failure (database, network, files),
 * 2 usage error (unknown command or flag, bad value). */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

int cli_main(int argc, char **argv);

#endif
