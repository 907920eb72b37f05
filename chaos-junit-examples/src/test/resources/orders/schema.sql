create table if not exists orders (id int primary key, item varchar(40));
delete from orders;
insert into orders values (1, 'coffee'), (2, 'tea'), (3, 'cake');
