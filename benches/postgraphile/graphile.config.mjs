// PostGraphile's configuration for benches/run.sh (`-C graphile.config.mjs`): the amber
// preset (what `--preset postgraphile/presets/amber` loads) without the plugin that lets
// clients filter and order only by indexed columns. The benchmark orders drivers by name
// and filters them by role exactly as our `clients` listing does, so that both servers
// answer the same question. (Passing `--preset` as well would add that plugin back.)
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";

export default {
  extends: [PostGraphileAmberPreset],
  disablePlugins: ["PgIndexBehaviorsPlugin"],
};
