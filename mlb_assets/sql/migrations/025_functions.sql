-- The ONE pitcher-key rule, executed by both engines: every source view keys its rows with it,
-- and mlb_assets.features.names.normalize_pitcher_key (the pure reference the CLI applies to
-- what users type) is tested against it on a corpus of real names. Step by step:
--   1. accents go (NFD, then every combining mark removed): "José" -> "Jose";
--   2. lower case;
--   3. dots and apostrophes (straight, curly, backtick) go: "d'Arnaud" -> "darnaud";
--   4. every other run of characters outside a-z0-9 becomes one "_", none at either end;
--   5. trailing generational suffixes go: "_jr", "_sr", "_ii", "_iii", "_iv";
--   6. two spaced initials join: "a_j_burnett" -> "aj_burnett", as "A.J." does in step 3.
-- A key is its own key. A name with no letter or digit a-z0-9 ("大谷翔平", "'; --") keys to ''
-- and the source views reject such rows instead of merging them.
CREATE OR REPLACE FUNCTION mlb_precompute.pitcher_key(raw_name STRING) RETURNS STRING AS (
  REGEXP_REPLACE(
    REGEXP_REPLACE(
      TRIM(
        REGEXP_REPLACE(
          REGEXP_REPLACE(
            LOWER(REGEXP_REPLACE(NORMALIZE(raw_name, NFD), r'\pM', '')),
            r"[.'‘’`ʼ]", ''),
          r'[^a-z0-9]+', '_'),
        '_'),
      r'(_(jr|sr|ii|iii|iv))+$', ''),
    r'(^|_)([a-z])_([a-z])(_|$)', r'\1\2\3\4')
);
