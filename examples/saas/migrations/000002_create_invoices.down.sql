DROP TABLE events;
DROP TABLE invoices;
