{#- Staging: which raw rows a staging model keeps.

    Every court staging model reads only the raw partitions of its run
    (`is_new_partition()`: all of them in a full build, those newer than the table's
    watermark in an incremental run), keeps the newest version of what it stages and
    drops the rows of tombstoned cases scraped on or before the tombstone's date (a
    case found again after its tombstone comes back). The jail staging models (full
    builds, no tombstones) keep the newest version of each booking. Three macros:

    * `latest_visit_rows(relation, keys, drop_tombstoned, new_partitions_only)` — the
      rows a page lists (a case's parties, events, …; a booking's charges, bonds,
      hearings): every row of the latest visit of each `keys` (trimmed) that listed
      any row of this table. A row that a later visit no longer lists is gone, and a
      page re-scraped with none at all keeps its older ones, so marts join them on
      the case's (booking's) own latest scrape_date. A visit's rows share its
      scrape_date and scraped_at, so the newest visit is chosen among the distinct
      visits (a narrow, much smaller set) and the raw rows of the winners are joined
      back: no window over the wide rows. The models' unique tests check that a page
      listed each row once. Renders a SELECT of the raw columns; the model's
      `renamed` CTE casts them.
    * `latest_case_children(relation)` — the court case's children: keyed by court +
      case_number, tombstoned cases dropped, only the run's raw partitions.
    * `latest_case_versions(rows, key, tiebreak)` — one row per court + case_number +
      `key`: the newest version by scrape_date, then scraped_at, then `tiebreak`.
      It ranks the model's `renamed` CTE (typed, trimmed columns: a narrower sort than
      the raw strings), adds the helper column `version_rank`, and the model's `final`
      CTE lists its columns without it (Athena has neither QUALIFY nor `* exclude`).

    The raw scrape_date partition is a DATE on DuckDB and an ISO string on Athena:
    both order the same, and `partition_date` casts it where it meets a date. -#}

{#- Raw rows of each `keys`' latest visit that listed any row of `relation`.
    keys: raw column names (ranked trimmed, joined back as they are);
    drop_tombstoned: keys are court, case_number; drop the visits of tombstoned
      cases scraped on or before the tombstone's date;
    new_partitions_only: read only the raw partitions of an incremental run. -#}
{% macro latest_visit_rows(
    relation, keys, drop_tombstoned=false, new_partitions_only=false
) -%}
    select raw_rows.*
    from {{ relation }} as raw_rows
    inner join (
        select
            {%- for key in keys %}
            visits.{{ key }},
            {%- endfor %}
            visits.scrape_date,
            visits.scraped_at
        from (
            select
                {%- for key in keys %}
                listed.{{ key }},
                {%- endfor %}
                listed.scrape_date,
                listed.scraped_at,
                rank() over (
                    partition by
                        {%- for key in keys %}
                        trim(listed.{{ key }}){{ ',' if not loop.last }}
                        {%- endfor %}
                    order by
                        listed.scrape_date desc,
                        {{ courtlake.parse_iso_timestamp('listed.scraped_at') }} desc
                ) as version_rank
            from (
                select distinct
                    {%- for key in keys %}
                    {{ key }},
                    {%- endfor %}
                    scrape_date,
                    coalesce(scraped_at, '') as scraped_at
                from {{ relation }}
                {%- if new_partitions_only %}
                where {{ courtlake.is_new_partition() }}
                {%- endif %}
            ) as listed
        ) as visits
        {%- if drop_tombstoned %}
        left join ({{ courtlake.case_tombstones() }}) as tombstones
            on
                trim(visits.court) = tombstones.court
                and trim(visits.case_number) = tombstones.case_number
        {%- endif %}
        where
            visits.version_rank = 1
            {%- if drop_tombstoned %}
            and (
                tombstones.removed_date is null
                or {{ courtlake.partition_date('visits.scrape_date') }}
                > tombstones.removed_date
            )
            {%- endif %}
    ) as latest_visits
        on
            {%- for key in keys %}
            {{ 'and ' if not loop.first }}raw_rows.{{ key }} = latest_visits.{{ key }}
            {%- endfor %}
            and raw_rows.scrape_date = latest_visits.scrape_date
            and coalesce(raw_rows.scraped_at, '') = latest_visits.scraped_at
    {%- if new_partitions_only %}
    where {{ courtlake.is_new_partition('raw_rows.scrape_date') }}
    {%- endif %}
{%- endmacro %}

{#- Raw rows of each case's latest visit that listed any row of `relation`,
    tombstoned cases removed, only the run's raw partitions. -#}
{% macro latest_case_children(relation) -%}
    {{ courtlake.latest_visit_rows(
        relation,
        keys=['court', 'case_number'],
        drop_tombstoned=true,
        new_partitions_only=true
    ) }}
{%- endmacro %}

{#- The newest version of each court + case_number + `key` of `rows` (a CTE of typed
    columns court, case_number, scrape_date, scraped_at, …), tombstoned cases
    removed, with the helper column `version_rank`. `key` / `tiebreak`: lists of
    column names or expressions over `rows`. -#}
{% macro latest_case_versions(rows, key=[], tiebreak=[]) -%}
    select ranked.*
    from (
        select
            versions.*,
            row_number() over (
                partition by
                    versions.court,
                    versions.case_number
                    {%- for expression in key %},
                    {{ expression }}
                    {%- endfor %}
                order by
                    versions.scrape_date desc,
                    versions.scraped_at desc
                    {%- for expression in tiebreak %},
                    {{ expression }} desc
                    {%- endfor %}
            ) as version_rank
        from {{ rows }} as versions
    ) as ranked
    left join ({{ courtlake.case_tombstones() }}) as tombstones
        on
            ranked.court = tombstones.court
            and ranked.case_number = tombstones.case_number
    where
        ranked.version_rank = 1
        and (
            tombstones.removed_date is null
            or ranked.scrape_date > tombstones.removed_date
        )
{%- endmacro %}

{#- The newest tombstone date of each tombstoned case (trimmed court, case_number). -#}
{% macro case_tombstones() -%}
    select
        trim(court) as court,
        trim(case_number) as case_number,
        max({{ courtlake.parse_iso_date('detected_date') }}) as removed_date
    from {{ source('court', 'court_removals') }}
    group by trim(court), trim(case_number)
{%- endmacro %}
