"""PWS (Pemantauan Wilayah Setempat): coverage and morbidity per desa and month (docs/pws.md).

The indicators are data (config/ilp/pws.json); their numerators count the person-level facts
the clinical evaluator derives on write (projections `growth_points`, `pws_events`), their
denominators come from the official sasaran (table `sasaran`, imported from CSV) or the
conventions and registered population of config/ilp/pws.json.
"""
