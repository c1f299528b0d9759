#!/usr/bin/env bash
# plugin/'s includes follow its layers (docs/design.md, 'The plugin's layers'): no circle
# of includes, and no folder includes a header of a folder ranked above it or beside it.
# The checker (check_includes.py) is first shown to catch both on small made-up trees.
. "$(dirname "$0")/../lib.sh"

check="python3 $(dirname "$0")/check_includes.py"
command -v python3 > /dev/null || { skip "plugin/'s includes follow its layers" "python3 not found"; finish; exit; }

# A made-up tree: a.h -> b.h -> a.h in util/, and layers/ reaching up into search/.
mk() { mkdir -p "$(dirname "$1")"; printf '%s\n' "${@:2}" > "$1"; }
fake=$TMP/fake
mk "$fake/util/a.h" '#include "b.h"'
mk "$fake/util/b.h" '#include "a.h"' '#include <stdio.h>' '#include "darknet.h"'
mk "$fake/layers/l.c" '#include "a.h"' '#include "s.h"'
mk "$fake/search/s.h" '/* nothing */'
mk "$fake/data/r.c" '#include "c.h"'
mk "$fake/cfgcheck/c.h" '/* nothing */'
run $check "$fake"
expect_rc "self-check: the checker fails a tree with a circle and an upward include" 1
expect_output "self-check: ... naming the circle file by file" "^cycle: util/a\.h -> util/b\.h -> util/a\.h "
expect_output "self-check: ... naming the upward include" "^upward: layers/l\.c:2 includes search/s\.h "
expect_output "self-check: ... naming an include between folders of one rank" "^sideways: data/r\.c:1 includes cfgcheck/c\.h "
[ "$(echo "$OUT" | wc -l)" -eq 3 ] && pass "self-check: ... and nothing else (util/ from layers/, <stdio.h>, darknet.h are allowed)" ||
    fail "self-check: ... and nothing else (util/ from layers/, <stdio.h>, darknet.h are allowed)" "$OUT"

# A module circle without a file circle: m.c uses n.h, n.c uses m.h (as the layer kinds and
# their registry once did).
modular=$TMP/modular
mk "$modular/layers/m.h" '/* nothing */'
mk "$modular/layers/m.c" '#include "m.h"' '#include "n.h"'
mk "$modular/layers/n.h" '/* nothing */'
mk "$modular/layers/n.c" '#include "n.h"' '#include "m.h"'
run $check "$modular"
expect_rc "self-check: the checker fails a circle of modules (x.c/x.h use each other)" 1
expect_output "self-check: ... naming it" "^module cycle: layers/m -> layers/n -> layers/m "

clean=$TMP/clean
mk "$clean/util/a.h" '#include "b.h"'
mk "$clean/util/b.h" '#include <stdio.h>'
mk "$clean/search/s.c" '#include "a.h"' '#include "s.h"'
mk "$clean/search/s.h" '#include "b.h"'
run $check "$clean"
expect_rc "self-check: the checker passes a tree that follows the layers" 0

run $check "$RELNAS_ROOT/plugin"
if [ "$RC" -eq 0 ]; then
    pass "plugin/'s includes follow its layers"
else
    mapfile -t problems <<< "$OUT"
    fail "plugin/'s includes follow its layers (${#problems[@]} problems)" "${problems[@]}"
fi
finish
