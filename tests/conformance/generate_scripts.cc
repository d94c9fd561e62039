// generate_scripts --seed N --count K --out DIR: writes K generated socket-operation scripts
// (see script_generator.h) to DIR/gen_N_0000.txt ... ; the same (N, K) always writes the same files.
// generate_scripts --directed --out DIR: writes the directed scripts (directed_scripts.h), one per
// (condition, operation) pair, to DIR/dir_*.txt, and prints the pairs as `OPERATION CONDITION`.
#include "tests/conformance/directed_scripts.h"
#include "tests/conformance/script_generator.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string_view>

namespace {

bool parse_u64(std::string_view text, std::uint64_t& value) {
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    return !text.empty() && ec == std::errc() && ptr == end;
}

int usage() {
    std::fprintf(stderr, "usage: generate_scripts --seed N --count K --out DIR\n"
                         "       generate_scripts --directed --out DIR\n");
    return 2;
}

}  // namespace

int write_directed(const std::string& out) {
    std::error_code error;
    std::filesystem::create_directories(out, error);
    for (const netsim::conformance::DirectedScript& d : netsim::conformance::directed_scripts()) {
        const std::filesystem::path path = std::filesystem::path(out) / (d.name + ".txt");
        std::ofstream file(path);
        file << d.text;
        file.close();
        if (!file) {
            std::fprintf(stderr, "generate_scripts: cannot write %s\n", path.c_str());
            return 1;
        }
        std::printf("%s %s\n", d.operation.c_str(), d.condition.c_str());
    }
    return 0;
}

int main(int argc, char** argv) {
    if (argc == 4 && std::string_view(argv[1]) == "--directed" && std::string_view(argv[2]) == "--out")
        return write_directed(argv[3]);
    std::uint64_t seed = 0;
    std::uint64_t count = 0;
    std::string out;
    bool have_seed = false;
    bool have_count = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view flag = argv[i];
        if (i + 1 >= argc) return usage();
        const std::string_view value = argv[++i];
        if (flag == "--seed") have_seed = parse_u64(value, seed);
        else if (flag == "--count") have_count = parse_u64(value, count) && count <= 1'000'000;
        else if (flag == "--out") out = value;
        else return usage();
    }
    if (!have_seed || !have_count || out.empty()) return usage();

    std::error_code error;
    std::filesystem::create_directories(out, error);
    for (std::uint64_t i = 0; i < count; ++i) {
        const int index = static_cast<int>(i);
        const std::filesystem::path path =
            std::filesystem::path(out) / fmt::format("gen_{}_{:04}.txt", seed, index);
        std::ofstream file(path);
        file << netsim::conformance::generate_script(seed, index);
        file.close();
        if (!file) {
            std::fprintf(stderr, "generate_scripts: cannot write %s\n", path.c_str());
            return 1;
        }
    }
    fmt::print("generate_scripts: wrote {} scripts (seed {}) to {}\n", count, seed, out);
    return 0;
}
