-- Northgate Housing Advocates: eviction filings, sent again when the hearing,
-- status, judgment or writ changed. Its configuration: meta.delivery in
-- _northgate_housing__models.yml.
{{ config(incremental_strategy=courtlake.delivery_strategy()) }}
-- depends_on: {{ ref('fct_eviction_filings') }}
-- depends_on: {{ ref('int_deliveries_last_sent') }}
-- depends_on: {{ ref('stg_court__removals') }}
{{ courtlake.delivery_batch() }}
