#include "sim/core/object_pool.h"

#include "tests/support/catch.h"

#include <string>
#include <vector>

using namespace netsim;

namespace {
struct Counted {
    Counted(std::string text, int& counter) : name(std::move(text)), alive(counter) { ++alive; }
    ~Counted() { --alive; }
    std::string name;
    int& alive;
};
}  // namespace

TEST_CASE("pooled objects keep their address while others come and go, and freed cells are reused", "[object_pool]") {
    int alive = 0;
    ObjectPool<Counted, 4> pool;
    std::vector<Counted*> objects;
    for (int i = 0; i < 10; ++i) objects.push_back(&pool.create("object " + std::to_string(i), alive));
    REQUIRE(alive == 10);
    REQUIRE(pool.live() == 10);
    // Growth never moved an earlier object.
    for (int i = 0; i < 10; ++i) REQUIRE(objects[i]->name == "object " + std::to_string(i));
    Counted* third = objects[3];
    pool.destroy(*third);
    REQUIRE(alive == 9);
    // The next object takes the cell just freed.
    Counted& next = pool.create("replacement", alive);
    REQUIRE(&next == third);
    REQUIRE(objects[4]->name == "object 4");
    for (int i = 0; i < 10; ++i) pool.destroy(*objects[i]);
    REQUIRE(alive == 0);
    REQUIRE(pool.live() == 0);
}
