-- Every party listed on every visit of a case, parsed and folded, with the form
-- (folded name and its occurrence on the visit) it is listed as. Split from
-- int_case_parties_identified so that its query plans in few stages on Athena.

with

party_visits as (

    select * from {{ ref('stg_court__party_visits') }}

),

parsed as (

    select
        court,
        case_number,
        scrape_date,
        party_seq,
        party_role,
        party_name,
        {{ party_role_family('party_role', 'party_name') }} as role_family,
        coalesce({{ name_last('party_name') }}, '') as last_name,
        coalesce({{ name_first('party_name') }}, '') as first_name
    from party_visits

),

mentions as (

    select
        court,
        case_number,
        scrape_date,
        party_seq,
        party_role,
        party_name,
        role_family,
        {{ fold('last_name') }} as folded_last_name,
        {{ fold('first_name') }} as folded_first_name,
        case
            when role_family = 'occupants' then 'occupants'
            else coalesce({{ fold('party_name') }}, '')
        end as folded_name
    from parsed

),

numbered as (

    -- the same folded name listed twice on one visit: each listing is a form
    select
        mentions.*,
        row_number() over (
            partition by
                mentions.court,
                mentions.case_number,
                mentions.scrape_date,
                mentions.role_family,
                mentions.folded_name
            order by mentions.party_seq
        ) as name_occurrence
    from mentions

),

keyed_mentions as (

    select
        numbered.*,
        {{ surrogate_key([
            'court', 'case_number', 'role_family', 'folded_name',
            'name_occurrence'
        ]) }} as form_id
    from numbered

)

select * from keyed_mentions
