// tern: parse the command line and hand over to a command (cli/) or the
// mail reader (ui/).
#include "cli/cli.hpp"
#include "ui/app.hpp"

int main(int argc, char** argv) {
    return tern::run_cli(argc, argv, [](const tern::Config& config, const tern::EnvLookup& env, const tern::ReaderRequest& request) {
        return tern::run_reader(config, env, {request.account, request.folder, request.mailto});
    });
}
