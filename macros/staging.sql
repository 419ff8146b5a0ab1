{#- Staging of the raw court tables: which raw rows a staging model keeps.

    `latest_case_rows` renders a SELECT over `relation` (a raw source) that keeps

      * only the raw partitions the run reads (`is_new_partition()`: all of them in a
        full build, those newer than the table's watermark in an incremental run);
      * the newest version of each row, a row being court + case_number + `key`
        (versions ordered by scrape_date, then scraped_at, then `tiebreak`);
        or, with `whole_visit`, every row of the case's latest visit that listed any
        row of this table (the rows a case page lists: parties, events, …; a row that
        a later visit no longer lists is gone, and a case re-scraped with none at all
        keeps its older ones, so marts join them on the case's own latest
        scrape_date). A visit's rows share its scrape_date and scraped_at, and one
        window over the case is about half the cost of one per row key; the models'
        unique tests check that a page listed each row once;
      * minus rows of a tombstoned case scraped on or before its tombstone's date (a
        case found again after its tombstone comes back).

    It works on raw columns, before the model renames and casts them: the model's
    `source` CTE is this SELECT and its `renamed` CTE lists its own columns, which
    leaves out the helper column `version_rank`. The raw scrape_date partition is a
    DATE on DuckDB and an ISO string on Athena: both order the same, and
    `partition_date` casts it where it meets the tombstone's date.
    No QUALIFY and no `* exclude` (Athena has neither).

    `key` / `tiebreak`: lists of SQL expressions over the raw columns. -#}
{% macro latest_case_rows(relation, key=[], tiebreak=[], whole_visit=false) -%}
    select versions.*
    from (
        select
            raw_rows.*,
            {{ 'rank' if whole_visit else 'row_number' }}() over (
                partition by
                    trim(raw_rows.court),
                    trim(raw_rows.case_number)
                    {%- for expression in key %},
                    {{ expression }}
                    {%- endfor %}
                order by
                    raw_rows.scrape_date desc,
                    {{ courtlake.parse_iso_timestamp('raw_rows.scraped_at') }} desc
                    {%- for expression in tiebreak %},
                    {{ expression }} desc
                    {%- endfor %}
            ) as version_rank
        from {{ relation }} as raw_rows
        where {{ courtlake.is_new_partition() }}
    ) as versions
    left join (
        select
            trim(court) as court,
            trim(case_number) as case_number,
            max({{ courtlake.parse_iso_date('detected_date') }}) as removed_date
        from {{ source('court', 'court_removals') }}
        group by trim(court), trim(case_number)
    ) as tombstones
        on
            trim(versions.court) = tombstones.court
            and trim(versions.case_number) = tombstones.case_number
    where
        versions.version_rank = 1
        and (
            tombstones.removed_date is null
            or {{ courtlake.partition_date('versions.scrape_date') }}
            > tombstones.removed_date
        )
{%- endmacro %}

{#- The rows a case page lists (parties, events, hearings, …) as of the case's latest
    visit that listed any, tombstoned cases removed. -#}
{% macro latest_case_children(relation) -%}
    {{ courtlake.latest_case_rows(relation, whole_visit=true) }}
{%- endmacro %}
