/* libyaml (Debian: libyaml-dev), the C parser Yams itself wraps: podtui reads its settings
   with it directly, because Yams' Swift layer imports all of Foundation (and with it ICU,
   some 30 MB in a static binary), which podtui's processes do not link. */
#include <yaml.h>
