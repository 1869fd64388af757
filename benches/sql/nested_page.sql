-- Operation 2 written by hand as one statement: the floor any GraphQL layer pays.
-- The first :first drivers of the bench organization (by last name, first name, id),
-- each with their contracts, the contract's car model and its first 10 invoices
-- (by priority, due date), as one JSON document. Run by pgbench with -D first=50.
SELECT coalesce(json_agg(page), '[]')
FROM (
  SELECT u.id,
         u.first_name || ' ' || u.last_name AS full_name,
         (SELECT coalesce(json_agg(k ORDER BY k.id), '[]')
            FROM (SELECT ct.id,
                         ct.hash,
                         (SELECT json_build_object('model', car.model)
                            FROM cars car WHERE car.contract_id = ct.id) AS car,
                         (SELECT coalesce(json_agg(i), '[]')
                            FROM (SELECT inv.total_minor, inv.due_date
                                    FROM invoices inv
                                   WHERE inv.contract_id = ct.id
                                   ORDER BY inv.priority, inv.due_date, inv.id
                                   LIMIT 10) i) AS invoices
                    FROM contracts ct
                   WHERE ct.client_id = u.id) k) AS contracts
    FROM users u
   WHERE u.organization_id = (SELECT id FROM organizations WHERE slug = 'leasy-bench')
     AND u.role = 'CLIENT'
   ORDER BY u.last_name, u.first_name, u.id
   LIMIT :first
) page;
