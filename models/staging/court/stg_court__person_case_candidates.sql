-- Court cases found for people in custody (by name + DOB), latest scrape per
-- person and case, tombstoned cases removed. person_key is
-- ingest.names.person_key, the same value as person_id (see macros/names.sql).

with

source as (

    select * from {{ source('court', 'person_case_candidates') }}
    where {{ is_new_partition() }}

),

renamed as (

    select
        {{ clean_text('person_key') }} as person_id,
        trim(court) as court,
        trim(case_number) as case_number,
        {{ clean_text('person_name') }} as person_name,
        {{ clean_text('booking_numbers') }} as booking_numbers,
        {{ clean_text('case_type') }} as case_type,
        {{ clean_text('party_name') }} as party_name,
        {{ clean_text('match_rule') }} as match_rule,
        {{ parse_iso_date('person_dob') }} as person_birth_date,
        {{ parse_iso_date('party_dob') }} as party_birth_date,
        {{ partition_date('scrape_date') }} as scrape_date,
        {{ parse_iso_timestamp('scraped_at') }} as scraped_at
    from source

),

latest as (

    {{ latest_case_versions('renamed', key=['person_id']) }}

),

final as (

    select
        person_id,
        court,
        case_number,
        person_name,
        booking_numbers,
        case_type,
        party_name,
        match_rule,
        person_birth_date,
        party_birth_date,
        scrape_date,
        scraped_at
    from latest

)

select * from final
