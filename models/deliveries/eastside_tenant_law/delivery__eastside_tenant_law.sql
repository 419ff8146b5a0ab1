-- Eastside Tenant Law Project: new eviction filings, never the same record
-- twice. Its configuration: meta.delivery in _eastside_tenant_law__models.yml.
{{ config(incremental_strategy=courtlake.delivery_strategy()) }}
-- depends_on: {{ ref('fct_eviction_filings') }}
-- depends_on: {{ ref('int_deliveries_last_sent') }}
-- depends_on: {{ ref('stg_court__removals') }}
{{ courtlake.delivery_batch() }}
