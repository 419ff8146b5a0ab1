-- Parties of each case's latest scrape that lists parties, tombstoned cases
-- removed. Incremental like stg_court__cases (merge on court + case_number +
-- party_seq). A party dropped from a re-scraped case keeps its older row here;
-- marts join parties on the case's latest scrape_date, which leaves such rows
-- out.

with

source as (

    select * from {{ source('court', 'court_parties') }}
    {% if is_incremental() %}
        where scrape_date > {{ incremental_watermark() }}
    {% endif %}

),

removals as (

    select * from {{ source('court', 'court_removals') }}

),

renamed as (

    select
        trim(court) as court,
        trim(case_number) as case_number,
        cast(party_seq as integer) as party_seq,
        {{ clean_text('role') }} as party_role,
        {{ clean_text('name') }} as party_name,
        {{ clean_text('address_raw') }} as address_raw,
        {{ clean_text('attorney_name') }} as attorney_name,
        {{ clean_text('attorney_kind') }} as attorney_kind,
        {{ clean_text('page_sha256') }} as page_sha256,
        false as is_removed,
        {{ parse_iso_date('dob') }} as birth_date,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at
    from source

),

ranked as (

    select
        renamed.*,
        max(renamed.scrape_date) over (
            partition by renamed.court, renamed.case_number
        ) as case_scrape_date,
        row_number() over (
            partition by renamed.court, renamed.case_number, renamed.party_seq
            order by renamed.scrape_date desc, renamed.scraped_at desc
        ) as version_rank
    from renamed

),

latest as (

    select
        court,
        case_number,
        party_seq,
        party_role,
        party_name,
        address_raw,
        attorney_name,
        attorney_kind,
        page_sha256,
        is_removed,
        birth_date,
        scrape_date,
        scraped_at
    from ranked
    where version_rank = 1 and scrape_date = case_scrape_date

),

tombstones as (

    select
        trim(court) as court,
        trim(case_number) as case_number,
        max({{ parse_iso_date('detected_date') }}) as removed_date
    from removals
    group by trim(court), trim(case_number)

),

kept as (

    select latest.*
    from latest
    left join tombstones
        on
            latest.court = tombstones.court
            and latest.case_number = tombstones.case_number
    where
        tombstones.removed_date is null
        or latest.scrape_date > tombstones.removed_date

),

{% if is_incremental() %}

kept_cases as (

    select distinct
        court,
        case_number
    from kept

),

removed as (

    select
        existing.court,
        existing.case_number,
        existing.party_seq,
        existing.party_role,
        existing.party_name,
        existing.address_raw,
        existing.attorney_name,
        existing.attorney_kind,
        existing.page_sha256,
        true as is_removed,
        existing.birth_date,
        existing.scrape_date,
        existing.scraped_at
    from {{ this }} as existing
    inner join tombstones
        on
            existing.court = tombstones.court
            and existing.case_number = tombstones.case_number
    left join kept_cases
        on
            existing.court = kept_cases.court
            and existing.case_number = kept_cases.case_number
    where
        existing.scrape_date <= tombstones.removed_date
        and kept_cases.case_number is null

),

{% endif %}

final as (

    select * from kept
    {% if is_incremental() %}
        union all
        select * from removed
    {% endif %}

)

select * from final
