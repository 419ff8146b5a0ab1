-- Parties of each case's latest scrape that lists parties, tombstoned cases
-- removed. Incremental like stg_court__cases (a re-scraped case's parties are
-- replaced as a whole). Marts join parties on the case's latest scrape_date,
-- so a case re-scraped without parties does not keep its older ones there.

with

source as (

    select * from {{ source('court', 'court_parties') }}
    where {{ is_new_partition() }}

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

final as (

    select * from kept

)

select * from final
