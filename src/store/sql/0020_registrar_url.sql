-- The registrar's public web address, shown by WHOIS and RDAP with its
-- name and phone (R25, DESIGN §7). NULL: none recorded.
ALTER TABLE registrar ADD COLUMN url TEXT;
